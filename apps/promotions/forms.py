"""Console forms: they render the fields and keep what was typed; the rules and their messages
are the services' (``inputs.py``), whose per-field errors are put back on the form."""

from __future__ import annotations

from django import forms

from apps.promotions.models import VoucherKind

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PRODUCTS_HELP = "Product ids or SKUs, separated by commas or spaces."


class VoucherForm(forms.Form):
    code = forms.CharField(max_length=40, help_text="3 to 40 letters, digits, - or _ (shoppers may type any case).")
    description = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(choices=VoucherKind.choices)
    value = forms.CharField(max_length=20, required=False, help_text="% for a percentage, an amount for fixed.")
    min_subtotal = forms.CharField(max_length=20, required=False, label="Minimum subtotal")
    starts_at = forms.CharField(required=False, widget=MOMENT, label="Starts", help_text="In the shop's time zone.")
    ends_at = forms.CharField(required=False, widget=MOMENT, label="Ends")
    usage_limit = forms.CharField(max_length=10, required=False, help_text="Uses in total; empty: no limit.")
    once_per_customer = forms.BooleanField(required=False, label="Once per customer (email)")
    is_active = forms.BooleanField(required=False, initial=True, label="Active")
    products = forms.CharField(required=False, help_text="Only these products: " + PRODUCTS_HELP)
    categories = forms.MultipleChoiceField(required=False, help_text="Only these categories (and their subcategories).")

    def __init__(self, *args, category_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices


class SaleForm(forms.Form):
    name = forms.CharField(max_length=100)
    percentage = forms.CharField(max_length=6, help_text="Above 0 and below 100.")
    category = forms.ChoiceField(required=False, help_text="A category (and its subcategories), or…")
    products = forms.CharField(required=False, help_text="…a list of products: " + PRODUCTS_HELP)
    starts_at = forms.CharField(widget=MOMENT, label="Starts", help_text="In the shop's time zone.")
    ends_at = forms.CharField(widget=MOMENT, label="Ends")
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, category_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *category_choices]


def form_data(form: forms.Form, post) -> dict:
    """The posted values as the services take them (lists for multiple choices)."""
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            data[name] = post.getlist(name)
        elif isinstance(field, forms.BooleanField):
            data[name] = post.get(name) in ("on", "true", "1")
        else:
            data[name] = post.get(name, "")
    return data


def add_service_errors(form: forms.Form, details: dict) -> None:
    """Put a service's ``Invalid`` details on the form (unknown fields as non-field errors)."""
    form.is_valid()
    for field, messages in (details or {}).items():
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(field if field in form.fields else None, str(message))
