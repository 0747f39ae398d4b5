"""django-axes hooks: which username an attempt is for, and the lockout response.

Lockouts are per (email, IP) pair on the pages (allauth's login form) and on the API
(``POST /api/v1/auth/token``). Pages get a 429 page; the API gets 429 in the error shape with
``Retry-After``.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from apps.accounts.models import normalize_email_address
from apps.core.errors import error_response
from apps.core.middleware import is_api_path

USERNAME_KEYS = ("email", "login", "username")


def get_attempt_username(request, credentials: dict | None) -> str:
    """``AXES_USERNAME_CALLABLE``: the normalised email of an attempt (credentials, then the form)."""
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for key in USERNAME_KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return normalize_email_address(value)[:254]
    return ""


def retry_after_seconds() -> int:
    """The cool-off in whole seconds (an upper bound on the wait)."""
    cool_off = settings.AXES_COOLOFF_TIME
    return max(int(cool_off.total_seconds()), 1) if cool_off else 3600


def lockout_response(request, original_response=None, credentials: dict | None = None):
    """``AXES_LOCKOUT_CALLABLE``: 429 in the error shape under ``/api/``, else the lockout page."""
    retry_after = retry_after_seconds()
    if is_api_path(request.path):
        return error_response(
            429,
            "locked_out",
            "Too many failed sign-in attempts. Try again later.",
            {"retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )
    response = render(
        request,
        "account/lockout.html",
        {"retry_minutes": max(retry_after // 60, 1), "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
