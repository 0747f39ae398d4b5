"""allauth's two-factor login form with our lockout (``MFA_FORMS["authenticate"]``).

The HTML login's second step must follow the same rules as ``POST /api/v1/auth/token/mfa``: refused
while django-axes has the account (or the email/address pair) locked, and every wrong code is a
failed sign-in. allauth's own failed-login limit is off (axes is the one mechanism), so without
this the code step could be guessed without limit.
"""

from __future__ import annotations

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from django import forms

from apps.accounts import mfa
from apps.core.errors import ApplicationError

LOCKED_MESSAGE = "Too many failed sign-in attempts. Try again later."


class LockoutAwareAuthenticateForm(AuthenticateForm):
    """allauth's ``AuthenticateForm``; a lockout is checked first and wrong codes are counted."""

    def clean_code(self) -> str:
        request = context.request
        try:
            mfa.raise_if_locked_out(request=request, email=self.user.email)
        except ApplicationError:
            raise forms.ValidationError(LOCKED_MESSAGE) from None
        try:
            return super().clean_code()
        except forms.ValidationError:
            mfa.record_failed_code(request=request, user=self.user)
            raise
