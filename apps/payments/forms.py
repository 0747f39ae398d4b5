"""Console forms: a provider's settings."""

from __future__ import annotations

from django import forms


class ProviderSettingsForm(forms.Form):
    """One provider's settings; key fields only for providers that need keys (Stripe)."""

    enabled = forms.BooleanField(required=False, label="Offer at checkout")
    instructions = forms.CharField(
        required=False,
        max_length=1000,
        label="Instructions for the shopper",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the order confirmation (for bank transfer: your account name, IBAN and BIC).",
    )
    publishable_key = forms.CharField(required=False, max_length=255, label="Publishable key")
    secret_key = forms.CharField(
        required=False,
        max_length=255,
        label="Secret key",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted. Leave empty to keep the stored key.",
    )
    webhook_secret = forms.CharField(
        required=False,
        max_length=255,
        label="Webhook signing secret",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted. Leave empty to keep the stored secret.",
    )

    def __init__(self, *args, needs_keys: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_keys:
            for name in ("publishable_key", "secret_key", "webhook_secret"):
                del self.fields[name]
