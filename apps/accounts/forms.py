"""Forms of the accounts pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from apps.accounts import services
from apps.accounts.models import NAME_MAX_LENGTH
from apps.core.errors import Invalid


class SignupExtraForm(forms.Form):
    """Added to allauth's sign-up form (``ACCOUNT_SIGNUP_FORM_CLASS``): the display name."""

    name = forms.CharField(
        label="Your name",
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text="Shown to the people you work with. Optional.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_name(self) -> str:
        try:
            return services.clean_name(self.cleaned_data.get("name", ""))
        except Invalid as exc:
            raise ValidationError(exc.details["name"]) from None

    def signup(self, request, user) -> None:
        """allauth calls this after creating the user."""
        services.update_profile(user=user, name=self.cleaned_data.get("name", ""))


class ProfileForm(forms.Form):
    """The profile page: the display name (the email is changed through allauth's email page)."""

    name = forms.CharField(
        label="Display name",
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_name(self) -> str:
        try:
            return services.clean_name(self.cleaned_data.get("name", ""))
        except Invalid as exc:
            raise ValidationError(exc.details["name"]) from None
