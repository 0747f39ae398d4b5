"""``AutocompleteFilter``: a change-list filter on a foreign key that searches instead of listing.

Django's ``RelatedFieldListFilter`` renders one link per row of the related table: 10,000 shops in
the sidebar of every product, variant and category list (and a scan to build them). This filter
renders the admin's own autocomplete widget (select2 over ``/admin/autocomplete/``, the same one
``autocomplete_fields`` use, so the related admin must define ``search_fields``) and filters by
the chosen id; choosing submits the filter (``static/js/admin/autocomplete_filter.js``).

Use ``list_filter = [("tenant", AutocompleteFilter)]``. ``django-admin-autocomplete-filter`` does
the same but has had no release since 2021; this is the small part of it we need.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect


class AutocompleteFilter(admin.FieldListFilter):
    """Filter a change list by one related object chosen in an autocomplete box."""

    template = "admin/autocomplete_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__{field.target_field.attname}__exact"
        super().__init__(field, request, params, model, model_admin, field_path)
        chosen = self.used_parameters.get(self.lookup_kwarg) or [""]
        self.chosen_id = chosen[-1]
        self.admin_site = model_admin.admin_site

    def expected_parameters(self) -> list[str]:
        """The one query parameter this filter reads: ``<field>__<pk>__exact``."""
        return [self.lookup_kwarg]

    def choices(self, changelist):
        """What the template needs: the widget, the query to keep, and the "All" link."""
        widget = AutocompleteSelect(self.field, self.admin_site, attrs={"data-autocomplete-filter": "1"})
        field = forms.ModelChoiceField(self.field.remote_field.model._default_manager.all(), widget=widget)
        rendered = field.widget.render(self.lookup_kwarg, self.chosen_id or None)
        # Every other parameter of the list (filters, search, ordering) rides along; the page does not.
        kept = [
            (key, item)
            for key, values in changelist.params.items()
            if key not in (self.lookup_kwarg, PAGE_VAR)
            for item in (values if isinstance(values, list) else [values])
        ]
        yield {
            "widget": rendered,
            "media": widget.media + forms.Media(js=["js/admin/autocomplete_filter.js"]),
            "kept": kept,
            "clear_url": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "chosen": bool(self.chosen_id),
        }
