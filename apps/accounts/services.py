"""Writes about users: creation, profile, passwords, token revocation and the GDPR hooks.

Every function is keyword-only, validates its input (raising Django's ``ValidationError`` with a
field -> messages dict, which the API shows in the error shape and forms beside the field) and
runs in one transaction.
"""

from __future__ import annotations

import logging
import unicodedata

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction

from apps.accounts.models import NAME_MAX_LENGTH, User, normalize_email_address

logger = logging.getLogger("bazaar.accounts")

EMAIL_MAX_LENGTH = 254
_email_validator = EmailValidator(message="Enter a valid email address.")


def clean_email(email) -> str:
    """A normalised (trimmed, lower-case) valid email, or ``ValidationError`` on ``email``."""
    if not isinstance(email, str) or not email.strip():
        raise ValidationError({"email": ["Enter an email address."]})
    normalised = normalize_email_address(email)
    if len(normalised) > EMAIL_MAX_LENGTH:
        raise ValidationError({"email": [f"An email address has at most {EMAIL_MAX_LENGTH} characters."]})
    try:
        _email_validator(normalised)
    except ValidationError:
        raise ValidationError({"email": ["Enter a valid email address."]}) from None
    return normalised


def clean_name(name) -> str:
    """A display name: trimmed, NFC-normalised, at most ``NAME_MAX_LENGTH`` characters, no control chars."""
    if name is None:
        return ""
    if not isinstance(name, str):
        raise ValidationError({"name": ["The name must be text."]})
    name = unicodedata.normalize("NFC", name).strip()
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": [f"A name has at most {NAME_MAX_LENGTH} characters (it has {len(name)})."]})
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") for char in name):
        raise ValidationError({"name": ["The name contains invisible or control characters."]})
    return name


def validate_password_for(*, password, user: User) -> None:
    """Run Django's password validators; ``ValidationError`` on ``password`` with their messages."""
    if not isinstance(password, str) or not password:
        raise ValidationError({"password": ["Enter a password."]})
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": list(exc.messages)}) from None


@transaction.atomic
def create_user(*, email: str, password: str | None, name: str = "", email_verified: bool = False) -> User:
    """Create a user who logs in with ``email``, and record the address with allauth.

    ``password`` is checked with Django's validators (``None`` makes an unusable password, for
    accounts that sign in another way). The allauth ``EmailAddress`` is primary and verified when
    ``email_verified``. Raises ``ValidationError`` (email, name, password) and changes nothing.
    """
    email = clean_email(email)
    name = clean_name(name)
    if User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["A user with this email address already exists."]})
    user = User(email=email, name=name)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password_for(password=password, user=user)
        user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    return user


@transaction.atomic
def update_profile(*, user: User, name) -> User:
    """Change ``user``'s display name (validated); returns the user."""
    user.name = clean_name(name)
    user.save(update_fields=["name"])
    return user
