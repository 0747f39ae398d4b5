"""Analytics forms: the dashboard range, report exports, settings, privacy self-service."""

from django import forms

from apps.analytics.selectors import REPORTS

PERIOD_CHOICES = [("today", "Today"), ("7d", "Last 7 days"), ("30d", "Last 30 days"), ("custom", "Custom range")]


class RangeForm(forms.Form):
    period = forms.ChoiceField(choices=PERIOD_CHOICES, required=False, initial="7d")
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom" and not (data.get("date_from") and data.get("date_to")):
            raise forms.ValidationError("A custom range needs both dates.")
        return data


class ExportForm(forms.Form):
    report = forms.ChoiceField(choices=[(name, name.replace("-", " ").capitalize()) for name in REPORTS])
    date_from = forms.DateField(widget=forms.HiddenInput)
    date_to = forms.DateField(widget=forms.HiddenInput)


class AnalyticsSettingsForm(forms.Form):
    retention_months = forms.IntegerField(
        label="Keep raw events for (months)", min_value=1, max_value=60, help_text="Rollups are kept regardless."
    )
    honour_gpc = forms.BooleanField(
        label="Honour Global Privacy Control", required=False, help_text="Drop events from browsers sending Sec-GPC: 1."
    )


class ConsentForm(forms.Form):
    analytics = forms.BooleanField(
        label="Link my storefront visits to my account",
        required=False,
        help_text="Off: visits are counted anonymously, without cookies.",
    )


class EraseAccountForm(forms.Form):
    confirm_email = forms.EmailField(label="Type your email address to confirm")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self):
        value = self.cleaned_data["confirm_email"].strip().lower()
        if self.user is None or value != self.user.email.lower():
            raise forms.ValidationError("This is not your email address.")
        return value


class EraseTenantForm(forms.Form):
    confirm_slug = forms.CharField(label="Type the shop's address (slug) to confirm", max_length=50)

    def __init__(self, *args, tenant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant

    def clean_confirm_slug(self):
        value = self.cleaned_data["confirm_slug"].strip()
        if self.tenant is None or value != self.tenant.slug:
            raise forms.ValidationError("This is not the shop's address.")
        return value
