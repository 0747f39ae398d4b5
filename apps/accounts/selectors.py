"""Reads about users. Other apps call these, never the ``User`` model directly."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from apps.accounts.models import User, normalize_email_address


def get_user_by_email(*, email: str) -> User | None:
    """The user whose login email is ``email`` (case-insensitive, trimmed), or ``None``."""
    email = normalize_email_address(email)
    if not email:
        return None
    return User.objects.filter(email=email).first()


def is_email_verified(*, user: User) -> bool:
    """Whether ``user``'s login email has been verified (allauth's ``EmailAddress``)."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def has_mfa(*, user: User) -> bool:
    """Whether ``user`` has set up two-factor authentication (allauth.mfa authenticators)."""

    return Authenticator.objects.filter(user=user).exists()
