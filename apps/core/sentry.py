"""Sentry: initialised only when ``SENTRY_DSN`` is set; never sends personal data.

``before_send`` (:func:`scrub_event`) stamps each event with the request id, tenant and user id of
the request or task that raised it (from ``apps.core.context``; only the user's id, never the
email), then removes passwords, tokens, authorization headers and cookies, and masks email
addresses anywhere in the event.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import sentry_sdk
from django.conf import settings

from apps.core import context

SENSITIVE_KEY = re.compile(
    r"pass(word)?|secret|token|authorization|cookie|session|csrf|api[-_]?key|refresh|access|signature|dsn",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
BEARER = re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]+")
FILTERED = "[Filtered]"


def scrub_value(value: Any) -> Any:
    """Recursively mask sensitive keys, credentials and email addresses inside ``value``.

    Header lists (``[["Authorization", "Bearer x"], ...]``) are handled like dicts.
    """
    if isinstance(value, dict):
        return {
            key: (FILTERED if isinstance(key, str) and SENSITIVE_KEY.search(key) else scrub_value(item))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        if len(value) == 2 and isinstance(value[0], str) and SENSITIVE_KEY.search(value[0]):
            return type(value)((value[0], FILTERED))
        return type(value)(scrub_value(item) for item in value)
    if isinstance(value, str):
        return EMAIL.sub(FILTERED, BEARER.sub(FILTERED, value))
    return value


def add_request_context(event: dict) -> dict:
    """Stamp the event with the current request id, tenant and user id (id only)."""
    tags = event.get("tags")
    if not isinstance(tags, dict):
        tags = dict(tags or {})  # the SDK may send tags as a list of pairs
    request_id = context.get_request_id()
    tenant = context.tenant_var.get()
    user_id = context.user_id_var.get()
    # The context of the request or task that raised is the truth: a tag left on a shared scope by
    # an earlier request must not label this event.
    for name, value in (("request_id", request_id), ("tenant", tenant)):
        if value:
            tags[name] = value
        else:
            tags.pop(name, None)
    event["tags"] = tags
    event["user"] = {"id": user_id} if user_id else {}
    return event


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry ``before_send``: add our context, strip secrets and personal data before it leaves."""
    return scrub_value(add_request_context(event))


def init_sentry(dsn: str | None = None, **options: Any) -> bool:
    """Initialise Sentry with the Django, Celery and Redis integrations, if a DSN is configured.

    Returns whether Sentry was initialised. ``options`` pass through to ``sentry_sdk.init``
    (tests use it to plug in an in-process transport).
    """
    dsn = dsn if dsn is not None else settings.SENTRY_DSN
    if not dsn:
        return False
    with warnings.catch_warnings():
        # sentry-sdk 2.x announces ``data_collection`` as the successor of ``send_default_pii``;
        # the old option still governs what is sent, and we state it explicitly.
        warnings.filterwarnings("ignore", message=".*send_default_pii.*", category=DeprecationWarning)
        _init(dsn, options)
    return True


def _init(dsn: str, options: dict) -> None:
    from sentry_sdk.integrations.celery import CeleryIntegration  # noqa: PLC0415 - only when Sentry is configured
    from sentry_sdk.integrations.django import DjangoIntegration  # noqa: PLC0415 - only when Sentry is configured
    from sentry_sdk.integrations.redis import RedisIntegration  # noqa: PLC0415 - only when Sentry is configured

    sentry_sdk.init(
        dsn=dsn,
        environment=settings.SENTRY_ENVIRONMENT,
        release=settings.SENTRY_RELEASE or None,
        integrations=[DjangoIntegration(), CeleryIntegration(), RedisIntegration()],
        send_default_pii=False,
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        before_send=scrub_event,
        **options,
    )
