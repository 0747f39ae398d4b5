"""Forms of the tenants pages. Rules live in the services; forms shape input and show errors."""

from __future__ import annotations

from django import forms

from apps.tenants.roles import ROLE_DESCRIPTIONS, Role
from apps.tenants.validation import COMMON_CURRENCIES, CURRENCIES, suggest_slug

CURRENCY_CHOICES = [
    ("Common", [(code, code) for code in COMMON_CURRENCIES]),
    ("All currencies", [(code, code) for code in CURRENCIES if code not in COMMON_CURRENCIES]),
]
TIME_ZONE_LIST_ID = "time-zones"  # the <datalist> of IANA names the page offers (tenants/_time_zones.html)


class TenantForm(forms.Form):
    name = forms.CharField(
        label="Shop name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    slug = forms.CharField(
        label="Web address",
        max_length=200,
        required=False,
        help_text="Made from the name if you leave it empty: lowercase letters, digits and hyphens, 3 to 50 "
        "characters. The shop will be at /s/<address>/; it cannot be changed later.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false", "data-slug-from": "id_name"}),
    )
    currency = forms.ChoiceField(label="Currency", choices=CURRENCY_CHOICES, initial="EUR")
    time_zone = forms.CharField(
        label="Time zone",
        max_length=100,
        initial="UTC",
        help_text="Start typing a city, e.g. Paris or New_York; your browser's zone is suggested.",
        widget=forms.TextInput(attrs={"list": TIME_ZONE_LIST_ID, "autocomplete": "off", "data-browser-time-zone": ""}),
    )

    def clean_slug(self):
        """An empty address becomes one made from the name (the service still validates it)."""
        return (self.cleaned_data.get("slug") or "").strip() or suggest_slug(self.data.get("name", ""))


class TenantSettingsForm(forms.Form):
    name = forms.CharField(label="Shop name", max_length=200)
    currency = forms.ChoiceField(label="Currency", choices=CURRENCY_CHOICES)
    time_zone = forms.CharField(
        label="Time zone",
        max_length=100,
        help_text="Start typing a city, e.g. Paris.",
        widget=forms.TextInput(attrs={"list": TIME_ZONE_LIST_ID, "autocomplete": "off"}),
    )
    tagline = forms.CharField(
        label="Tagline", max_length=400, required=False, help_text="One line under the shop's name on its home page."
    )
    brand_colour = forms.CharField(
        label="Brand colour",
        max_length=40,
        required=False,
        help_text="Buttons and links on the storefront, as #rrggbb (e.g. #1f4fd1); dark enough for white text. "
        "Empty: Bazaar's blue.",
        widget=forms.TextInput(attrs={"placeholder": "#1f4fd1", "autocomplete": "off", "spellcheck": "false"}),
    )
    accent_colour = forms.CharField(
        label="Accent colour",
        max_length=40,
        required=False,
        help_text="The banner of the storefront's home page, as #rrggbb; dark enough for white text.",
        widget=forms.TextInput(attrs={"placeholder": "#067647", "autocomplete": "off", "spellcheck": "false"}),
    )


class InviteForm(forms.Form):
    email = forms.CharField(
        label="Email address", max_length=1000, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args, can_invite_owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_invite_owner:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.OWNER]
        self.fields["role"].help_text = " ".join(
            f"{label}: {ROLE_DESCRIPTIONS[value]}" for value, label in self.fields["role"].choices
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
