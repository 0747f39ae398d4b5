"""Re-authentication before destruction, for the API.

A token or a session proves who sent a request, not that the person is still at the keyboard, so
API calls that destroy (erase my account, delete or erase a shop) also need a fresh proof in the
body: ``password`` (the account's password) or ``code`` (a TOTP or recovery code, for accounts
with two-factor). Pages use allauth's reauthentication instead
(``allauth.account.decorators.reauthentication_required``).

A wrong password or code is a failed sign-in for django-axes, so guessing here locks out like the
login does.
"""

from __future__ import annotations

from django.contrib.auth import authenticate

from apps.accounts import mfa
from apps.accounts.models import User
from apps.accounts.selectors import has_mfa
from apps.core.errors import ApplicationError, ErrorCode

MAX_PASSWORD_LENGTH = 4096


def reauthentication_methods(*, user: User) -> list[str]:
    """The proofs ``user`` can give: ``password`` (if they have one) and ``code`` (with two-factor)."""
    methods = ["password"] if user.has_usable_password() else []
    if has_mfa(user=user):
        methods.append("code")
    return methods


def _required(user: User, message: str) -> ApplicationError:
    return ApplicationError(
        message,
        code=ErrorCode.REAUTHENTICATION_REQUIRED,
        status=403,
        details={"methods": reauthentication_methods(user=user)},
    )


def confirm_identity(*, request, user: User, password=None, code=None) -> None:
    """Check the fresh proof a destructive API call carries; raise if it is missing or wrong.

    ``request`` is the Django ``HttpRequest`` (axes keys the lockout on its address). Raises 403
    ``reauthentication_required`` (missing or wrong proof; ``details.methods`` says what to send)
    or 429 ``locked_out``.
    """
    mfa.raise_if_locked_out(request=request, email=user.email)
    if code:
        if not has_mfa(user=user):
            raise _required(user, "This account has no two-factor authentication: confirm with your password.")
        if mfa.is_code_valid(user=user, code=code):
            return
        mfa.record_failed_code(request=request, user=user)
        mfa.raise_if_locked_out(request=request, email=user.email)
        raise _required(user, "The code is wrong or was already used.")
    if password:
        if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
            raise _required(user, "The password is wrong.")
        confirmed = authenticate(request, email=user.email, password=password)
        mfa.raise_if_locked_out(request=request, email=user.email)
        if confirmed is not None and confirmed.pk == user.pk:
            return
        raise _required(user, "The password is wrong.")
    raise _required(user, "Confirm it is you: send your password, or a two-factor code, with this request.")
