"""Second factor for the API: the token endpoint's MFA challenge and the code check that the
re-authentication of destructive API calls shares.

Codes are checked by allauth's own MFA validation (``allauth.mfa.base.forms.BaseAuthenticateForm``:
TOTP with replay protection, or a recovery code, which is then spent), so the API and the HTML
login accept exactly the same codes. A wrong code is a failed sign-in for django-axes (the
``user_login_failed`` signal Django's ``authenticate`` sends too), so it counts toward the same
lockout as a wrong password.
"""

from __future__ import annotations

import logging

from allauth.mfa.base.forms import BaseAuthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.core import signing

from apps.accounts.lockout import retry_after_seconds
from apps.accounts.models import User
from apps.accounts.selectors import has_mfa
from apps.core.errors import ApplicationError, ErrorCode

logger = logging.getLogger("bazaar.accounts")

CHALLENGE_SALT = "accounts.mfa-challenge"
CHALLENGE_MAX_AGE = 300  # seconds: the second step must follow the first within five minutes
MFA_METHODS = ["totp", "recovery_codes"]
MAX_CODE_LENGTH = 64


def is_code_valid(*, user: User, code) -> bool:
    """Whether ``code`` is a current TOTP code or an unused recovery code of ``user`` (allauth)."""

    if not isinstance(code, str) or not code.strip() or len(code) > MAX_CODE_LENGTH:
        return False
    return BaseAuthenticateForm(data={"code": code.strip()}, user=user).is_valid()


def record_failed_code(*, request, user: User) -> None:
    """Count a wrong code as a failed sign-in for the lockout (axes listens to this signal)."""
    user_login_failed.send(sender=__name__, credentials={"email": user.email}, request=request)
    logger.warning("mfa code refused", extra={"security_event": "mfa_code_refused", "user_id": str(user.public_id)})


def raise_if_locked_out(*, request, email: str) -> None:
    """429 ``locked_out`` if axes has locked this email (for this address or the whole account)."""

    if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(request, {"email": email}):
        request.axes_locked_out = True  # AxesMiddleware answers with the lockout response (Retry-After)
        raise ApplicationError(
            "Too many failed sign-in attempts. Try again later.",
            code=ErrorCode.LOCKED_OUT,
            status=429,
            details={"retry_after": retry_after_seconds()},
        )


def start_challenge(*, user: User, client: str) -> ApplicationError:
    """The 401 ``mfa_required`` error carrying a signed, five-minute challenge for ``user``.

    The challenge names the user, their token version (logout-all voids it) and the client type;
    it is not a credential on its own: the second call must add a valid code.
    """
    challenge = signing.dumps({"u": str(user.public_id), "v": user.token_version, "c": client}, salt=CHALLENGE_SALT)
    return ApplicationError(
        "This account uses two-factor authentication: send the challenge with a code from your "
        "authenticator app or a recovery code to POST /api/v1/auth/token/mfa.",
        code=ErrorCode.MFA_REQUIRED,
        status=401,
        details={"challenge": challenge, "methods": MFA_METHODS, "expires_in": CHALLENGE_MAX_AGE},
    )


def _read_challenge(challenge) -> tuple[User, str]:
    invalid = ApplicationError(
        "The challenge is invalid or expired: sign in with your password again.",
        code=ErrorCode.MFA_CHALLENGE_INVALID,
        status=401,
    )
    if not isinstance(challenge, str) or len(challenge) > 1024:
        raise invalid
    try:
        data = signing.loads(challenge, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        raise invalid from None
    user = User.objects.filter(public_id=data.get("u"), is_active=True).first()
    if user is None or user.token_version != data.get("v") or not has_mfa(user=user):
        raise invalid
    return user, data.get("c", "web")


def complete_challenge(*, request, challenge, code) -> tuple[User, str]:
    """The user and client type of a challenge answered with a valid ``code``.

    Raises 401 ``mfa_challenge_invalid`` (bad or expired challenge), 429 ``locked_out`` (before
    the code is even checked, while the lockout lasts) or 401 ``invalid_mfa_code`` (counted as a
    failed sign-in).
    """
    user, client = _read_challenge(challenge)
    raise_if_locked_out(request=request, email=user.email)
    if not is_code_valid(user=user, code=code):
        record_failed_code(request=request, user=user)
        raise_if_locked_out(request=request, email=user.email)
        raise ApplicationError("The code is wrong or was already used.", code=ErrorCode.INVALID_MFA_CODE, status=401)
    return user, client
