"""The shared form-field partial: every id a widget's ``aria-describedby`` names exists once, so a
screen reader hears the help text and the errors of the field it is on."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string


class ProbeForm(forms.Form):
    name = forms.CharField(help_text="As it appears on the invoice.", min_length=5)
    email = forms.EmailField(help_text="We write only about your orders.")


@pytest.mark.parametrize(
    "data",
    [{}, {"name": "abc", "email": "not-an-email"}, {"name": "Alice Example", "email": "a@example.com"}],
    ids=["empty", "two-errors", "valid"],
)
def test_aria_describedby_points_at_ids_that_exist_once(data):
    form = ProbeForm(data=data or None)
    form.is_valid()
    html = "".join(render_to_string("partials/form_field.html", {"field": form[name]}) for name in form.fields)
    described = [ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()]
    assert any(ref.endswith("_helptext") for ref in described)
    for ref in described:
        assert html.count(f'id="{ref}"') == 1, ref
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
