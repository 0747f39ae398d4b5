"""Forms of the tenants pages. Rules live in the services; forms shape input and show errors."""

from __future__ import annotations

from django import forms

from apps.tenants.roles import ROLE_DESCRIPTIONS, Role
from apps.tenants.validation import CURRENCIES

CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


class TenantForm(forms.Form):
    name = forms.CharField(
        label="Shop name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    slug = forms.CharField(
        label="Address",
        max_length=200,
        help_text="Lowercase letters, digits and hyphens, 3 to 50 characters; the shop will be at /s/address/.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    currency = forms.ChoiceField(label="Currency", choices=CURRENCY_CHOICES, initial="EUR")
    time_zone = forms.CharField(
        label="Time zone",
        max_length=100,
        initial="UTC",
        help_text="An IANA name such as Europe/Paris or America/New_York.",
    )


class TenantSettingsForm(forms.Form):
    name = forms.CharField(label="Shop name", max_length=200)
    currency = forms.ChoiceField(label="Currency", choices=CURRENCY_CHOICES)
    time_zone = forms.CharField(label="Time zone", max_length=100, help_text="An IANA name such as Europe/Paris.")


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
