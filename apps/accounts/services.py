"""Writes about users: creation, profile, passwords, token revocation and the GDPR hooks.

Every function is keyword-only, validates its input (raising :class:`apps.core.errors.Invalid`
with a field -> messages dict, which the API shows in the error shape and forms beside the field)
and runs in one transaction. Other failures raise ``ApplicationError`` with an ``ErrorCode``.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from datetime import UTC, datetime

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError

from apps.accounts.lockout import retry_after_seconds
from apps.accounts.models import NAME_MAX_LENGTH, User, normalize_email_address
from apps.accounts.selectors import is_email_verified
from apps.accounts.token_store import REUSED, REVOKED, ROTATED, TokenStoreUnavailable, get_token_store
from apps.accounts.tokens import CLIENTS, TokenPair, decode_refresh, mint_pair, new_family_id
from apps.core.crypto import rotate_token
from apps.core.errors import ApplicationError, ErrorCode, Invalid

logger = logging.getLogger("bazaar.accounts")

EMAIL_MAX_LENGTH = 254
_email_validator = EmailValidator(message="Enter a valid email address.")


def clean_email(email) -> str:
    """A normalised (trimmed, lower-case) valid email, or :class:`Invalid` on ``email``."""
    if not isinstance(email, str) or not email.strip():
        raise Invalid({"email": ["Enter an email address."]})
    normalised = normalize_email_address(email)
    if len(normalised) > EMAIL_MAX_LENGTH:
        raise Invalid({"email": [f"An email address has at most {EMAIL_MAX_LENGTH} characters."]})
    try:
        _email_validator(normalised)
    except ValidationError:
        raise Invalid({"email": ["Enter a valid email address."]}) from None
    return normalised


def clean_name(name) -> str:
    """A display name: trimmed, NFC-normalised, at most ``NAME_MAX_LENGTH`` characters, no control chars."""
    if name is None:
        return ""
    if not isinstance(name, str):
        raise Invalid({"name": ["The name must be text."]})
    name = unicodedata.normalize("NFC", name).strip()
    if len(name) > NAME_MAX_LENGTH:
        raise Invalid({"name": [f"A name has at most {NAME_MAX_LENGTH} characters (it has {len(name)})."]})
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") for char in name):
        raise Invalid({"name": ["The name contains invisible or control characters."]})
    return name


def validate_password_for(*, password, user: User) -> None:
    """Run Django's password validators; ``Invalid`` on ``password`` with their messages."""
    if not isinstance(password, str) or not password:
        raise Invalid({"password": ["Enter a password."]})
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise Invalid({"password": list(exc.messages)}) from None


@transaction.atomic
def create_user(*, email: str, password: str | None, name: str = "", email_verified: bool = False) -> User:
    """Create a user who logs in with ``email``, and record the address with allauth.

    ``password`` is checked with Django's validators (``None`` makes an unusable password, for
    accounts that sign in another way). The allauth ``EmailAddress`` is primary and verified when
    ``email_verified``. Raises ``Invalid`` (email, name, password) and changes nothing.
    """
    email = clean_email(email)
    name = clean_name(name)
    if email_taken(email):
        raise Invalid({"email": ["A user with this email address already exists."]})
    user = User(email=email, name=name)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password_for(password=password, user=user)
        user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    return user


def email_taken(email: str) -> bool:
    """Whether an account already uses ``email`` (as its login or as another allauth address)."""
    in_use = User.objects.filter_by_email(email).exists()  # on the LOWER(email) unique index
    return in_use or EmailAddress.objects.filter(email__iexact=email).exists()


def register_user(*, request, email: str, password: str, name: str = "") -> User | None:
    """API sign-up: create an unverified user and send the verification email (through Celery).

    The answer must not tell whether the address is registered: for an address already in use
    nothing is created and its owner gets allauth's "account already exists" email instead (as
    the HTML sign-up does), after the same checks and the same password hashing. Returns the new
    user, or ``None`` for a taken address. The account gets tokens only once the email is verified
    (``authenticate_for_tokens``). Raises ``Invalid`` for bad input either way.
    """

    email, name = clean_email(email), clean_name(name)
    validate_password_for(password=password, user=User(email=email, name=name))
    if email_taken(email):
        make_password(password)  # the work a real sign-up does, so timing tells nothing either
        get_adapter(request).send_account_already_exists_mail(email)
        return None
    with transaction.atomic():
        user = create_user(email=email, password=password, name=name, email_verified=False)
    address = EmailAddress.objects.get(user=user, email=user.email)
    address.send_confirmation(request, signup=True)
    return user


@transaction.atomic
def update_profile(*, user: User, name) -> User:
    """Change ``user``'s display name (validated); returns the user."""
    user.name = clean_name(name)
    user.save(update_fields=["name"])
    return user


# --- Passwords ------------------------------------------------------------------------------


@transaction.atomic
def change_password(*, user: User, password: str) -> User:
    """Set a new password (validated) and revoke every token the user holds.

    allauth's password change and reset call this through our account adapter
    (``apps.accounts.adapter.AccountAdapter.set_password``).
    """
    validate_password_for(password=password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    revoke_all_tokens(user=user)
    return user


# --- Tokens -----------------------------------------------------------------------------------


def _security_event(event: str, **fields) -> None:
    logger.warning(event, extra={"security_event": event, **fields})


def authenticate_for_tokens(*, request, email, password) -> User:
    """Check credentials through Django's backends (with axes' lockout) for the token endpoint.

    ``request`` is the Django ``HttpRequest`` (axes reads the client IP from it and flags a lockout
    on it). Raises ``ApplicationError``: 429 ``locked_out`` (with ``retry_after`` in details),
    401 ``invalid_credentials``, 403 ``email_unverified`` or ``inactive``.
    """

    email = clean_email(email)
    if not isinstance(password, str) or not password:
        raise Invalid({"password": ["Enter a password."]})
    if len(password) > 4096:
        raise Invalid({"password": ["The password is too long."]})
    user = authenticate(request, email=email, password=password)
    if getattr(request, "axes_locked_out", False):
        retry_after = retry_after_seconds()
        raise ApplicationError(
            "Too many failed sign-in attempts. Try again later.",
            code=ErrorCode.LOCKED_OUT,
            status=429,
            details={"retry_after": retry_after},
        )
    if user is None:
        raise ApplicationError("The email or password is wrong.", code=ErrorCode.INVALID_CREDENTIALS, status=401)
    AxesProxyHandler.reset_attempts(ip_address=getattr(request, "axes_ip_address", None), username=email)
    if not user.is_active:
        raise ApplicationError("This account is disabled.", code=ErrorCode.INACTIVE, status=403)
    if not is_email_verified(user=user):
        raise ApplicationError(
            "Verify your email address first: follow the link we sent you.", code=ErrorCode.EMAIL_UNVERIFIED, status=403
        )
    return user


def issue_tokens(*, user: User, client: str) -> TokenPair:
    """Start a login family for ``user`` and return its first access/refresh pair.

    Fails closed with 503 ``token_store_unavailable`` if the store cannot record it.
    """
    if client not in CLIENTS:
        raise Invalid({"client": [f"Choose one of: {', '.join(CLIENTS)}."]})
    now = timezone.now()
    refresh_expires_at = now + settings.JWT_REFRESH_LIFETIME
    pair = mint_pair(
        user=user, client=client, family_id=new_family_id(), refresh_expires_at=refresh_expires_at, now=now
    )
    get_token_store().create_family(
        user_id=user.pk,
        family_id=pair.family_id,
        jti=pair.refresh_jti,
        ttl=int(settings.JWT_REFRESH_LIFETIME.total_seconds()),
    )
    return pair


def _invalid_refresh(message: str = "The refresh token is invalid or expired.", code: str = ErrorCode.INVALID_TOKEN):
    return ApplicationError(message, code=code, status=401)


def refresh_tokens(*, refresh: str) -> TokenPair:
    """Rotate a refresh token: a new pair every time, the old token retired atomically.

    A token that was already rotated revokes its whole family (reuse detection) and is logged as a
    security event; other families of the same user keep working. Raises 401 ``invalid_token`` /
    ``token_revoked``, or 503 ``token_store_unavailable``.
    """
    try:
        token = decode_refresh(refresh)
    except TokenError:
        raise _invalid_refresh() from None
    user = User.objects.filter(pk=token["uid"], public_id=token["sub"]).first()
    if user is None or not user.is_active:
        raise _invalid_refresh()
    if token["ver"] != user.token_version:
        raise _invalid_refresh("This session was signed out.", ErrorCode.TOKEN_REVOKED)
    now = timezone.now()
    refresh_expires_at = datetime.fromtimestamp(token["exp"], tz=UTC)
    pair = mint_pair(
        user=user, client=token["client"], family_id=token["fam"], refresh_expires_at=refresh_expires_at, now=now
    )
    outcome = get_token_store().rotate(
        user_id=user.pk,
        family_id=token["fam"],
        old_jti=token["jti"],
        new_jti=pair.refresh_jti,
        ttl=int((refresh_expires_at - now).total_seconds()),
    )
    if outcome == ROTATED:
        return pair
    if outcome == REUSED:
        _security_event("refresh_token_reuse", user_id=str(user.public_id), family=token["fam"], jti=token["jti"])
        raise _invalid_refresh(
            "This refresh token was already used; the session has been signed out.", ErrorCode.TOKEN_REUSED
        )
    if outcome == REVOKED:
        raise _invalid_refresh("This session was signed out.", ErrorCode.TOKEN_REVOKED)
    raise _invalid_refresh()


def revoke_refresh_family(*, refresh: str) -> None:
    """Log out one session: revoke the family of this refresh token (idempotent)."""
    try:
        token = decode_refresh(refresh)
    except TokenError:
        raise _invalid_refresh() from None
    get_token_store().revoke_family(user_id=token["uid"], family_id=token["fam"])


def revoke_all_tokens(*, user: User) -> None:
    """Log out everywhere: bump ``token_version`` (every access and refresh token issued so far is
    refused) and revoke all the user's refresh families in the store.

    The version bump alone is enough to refuse the old tokens, so if the store is down the
    families are left to expire and a warning is logged rather than failing a password change.
    """
    User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
    user.refresh_from_db(fields=["token_version"])
    try:
        revoked = get_token_store().revoke_all(user_id=user.pk)
    except TokenStoreUnavailable:
        logger.warning("token store unavailable during revoke_all_tokens; version bump still applies")
        revoked = None
    _security_event("tokens_revoked_all", user_id=str(user.public_id), families=revoked)


# --- Encryption keys ------------------------------------------------------------------------------

MFA_ENCRYPTED_KEYS = ("secret", "seed")


def rotate_mfa_secrets(*, batch_size: int = 500) -> int:
    """Re-encrypt allauth MFA secrets (TOTP secret, recovery-code seed) with the current key.

    They are encrypted by ``apps.accounts.adapter.MFAAdapter`` inside allauth's JSON column, so
    ``apps.core.crypto.rotate_encrypted_fields`` cannot see them. Returns the rows rewritten.
    """

    rewritten, last_pk = 0, 0
    while True:
        batch = list(Authenticator.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return rewritten
        with transaction.atomic():
            for authenticator in batch:
                data = dict(authenticator.data or {})
                changed = False
                for key in MFA_ENCRYPTED_KEYS:
                    if isinstance(data.get(key), str) and data[key]:
                        data[key] = rotate_token(data[key])
                        changed = True
                if changed:
                    Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                    rewritten += 1
        last_pk = batch[-1].pk


# --- GDPR hooks (called by the analytics app's data-subject tools) ----------------------------


def export_account_data(*, user: User) -> dict:
    """Everything the accounts app holds about ``user``, as JSON-serialisable data.

    Account fields, email addresses, whether two-factor is set up (types and dates, never the
    secrets), the login history django-axes keeps (successful logins with time, IP and user agent;
    failed attempts for the email) and how many API sessions (refresh families) are active.
    """

    def iso(value):
        return value.isoformat() if value else None

    try:
        active_sessions = get_token_store().active_families(user_id=user.pk)
    except TokenStoreUnavailable:
        active_sessions = None
    return {
        "account": {
            "public_id": str(user.public_id),
            "email": user.email,
            "name": user.name,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "is_active": user.is_active,
            "has_usable_password": user.has_usable_password(),
        },
        "email_addresses": [
            {"email": address.email, "primary": address.primary, "verified": address.verified}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "two_factor": {
            "enabled": Authenticator.objects.filter(user=user).exists(),
            "authenticators": [
                {"type": item.type, "created_at": iso(item.created_at), "last_used_at": iso(item.last_used_at)}
                for item in Authenticator.objects.filter(user=user).order_by("created_at")
            ],
        },
        "login_history": [
            {
                "time": iso(entry.attempt_time),
                "logout_time": iso(entry.logout_time),
                "ip_address": entry.ip_address,
                "user_agent": entry.user_agent,
            }
            for entry in AccessLog.objects.filter(username__iexact=user.email).order_by("-attempt_time")[:1000]
        ],
        "failed_login_attempts": [
            {"time": iso(entry.attempt_time), "ip_address": entry.ip_address, "failures": entry.failures_since_start}
            for entry in AccessAttempt.objects.filter(username__iexact=user.email).order_by("-attempt_time")
        ],
        "api_sessions_active": active_sessions,
    }


def anonymise_user(*, user: User, delete: bool = False) -> None:
    """Erase the personal data of ``user`` held by the accounts app.

    Revokes every token, deletes allauth's email addresses and MFA authenticators and axes'
    attempt and login records for the email; then either keeps the row as an anonymous tombstone
    (``delete=False``, the default: id kept so other apps' foreign keys stay valid; email replaced by
    ``erased-<random>@erased.invalid``, name emptied, unusable password, inactive, no staff rights,
    a new public id) or deletes the row (``delete=True``: foreign keys to it are SET_NULL or
    CASCADE across Bazaar). Idempotent.
    """

    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    revoke_all_tokens(user=user)
    with transaction.atomic():
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            for email in emails:
                model.objects.filter(username__iexact=email).delete()
        Authenticator.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        if delete:
            user.delete()
            return
        user.email = f"erased-{uuid.uuid4().hex}@erased.invalid"
        user.name = ""
        user.public_id = uuid.uuid4()
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.last_login = None
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    logger.info("account anonymised", extra={"security_event": "account_anonymised", "deleted": delete})
