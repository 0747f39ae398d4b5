"""django-axes hooks: which username an attempt is for, the per-account lockout, and the lockout
response.

Lockouts are per (email, IP) pair on the pages (allauth's login form) and on the API
(``POST /api/v1/auth/token``), after ``AXES_FAILURE_LIMIT`` failures. An attacker who rotates
source addresses is stopped by a second, higher threshold per account: ``ACCOUNT_LOCKOUT_FAILURE_LIMIT``
failures for one email from any addresses within the cool-off lock that account everywhere
(``AccountLockoutHandler``, set as ``AXES_HANDLER``), logged as ``security_event=account_locked``
and counted in ``bazaar_account_lockouts_total``. Pages get a 429 page; the API gets 429 in the
error shape with ``Retry-After``.
"""

from __future__ import annotations

import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from prometheus_client import Counter

from apps.accounts.models import normalize_email_address
from apps.core.errors import error_response
from apps.core.middleware import is_api_path

USERNAME_KEYS = ("email", "login", "username")
logger = logging.getLogger("bazaar.accounts")
ACCOUNT_LOCKOUTS = Counter("bazaar_account_lockouts_total", "Accounts locked after failures from many addresses")


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


def account_failure_limit() -> int:
    """Failures for one account (from any addresses) within the cool-off that lock it."""
    return settings.ACCOUNT_LOCKOUT_FAILURE_LIMIT


def account_failures(username: str) -> int:
    """Failed sign-ins for ``username`` from every address within the cool-off."""
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountLockoutHandler(AxesDatabaseHandler):
    """``AXES_HANDLER``: axes' database handler plus the per-account threshold."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return account_failures(get_client_username(request, credentials)) >= account_failure_limit()

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        failures = account_failures(username)
        if failures >= account_failure_limit():
            request.axes_locked_out = True
            if failures == account_failure_limit():  # the failure that locked it: alert once
                ACCOUNT_LOCKOUTS.inc()
                logger.warning(
                    "account locked after failures from many addresses",
                    extra={"security_event": "account_locked", "failures": failures},
                )
