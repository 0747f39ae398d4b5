"""Sentry: initialised only when ``SENTRY_DSN`` is set; never sends personal data.

``scrub_event`` is the ``before_send`` hook: it removes passwords, tokens, authorization headers
and cookies, and masks email addresses anywhere in the event.
"""

from __future__ import annotations

import re
from typing import Any

import sentry_sdk
from django.conf import settings

SENSITIVE_KEY = re.compile(
    r"pass(word)?|secret|token|authorization|cookie|session|csrf|api[-_]?key|refresh|access", re.IGNORECASE
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
FILTERED = "[Filtered]"


def scrub_value(value: Any) -> Any:
    """Recursively mask sensitive keys and email addresses inside ``value``."""
    if isinstance(value, dict):
        return {
            key: (FILTERED if isinstance(key, str) and SENSITIVE_KEY.search(key) else scrub_value(item))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(scrub_value(item) for item in value)
    if isinstance(value, str):
        return EMAIL.sub(FILTERED, value)
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry ``before_send``: strip secrets and personal data from an event before it leaves."""
    return scrub_value(event)


def init_sentry(dsn: str | None = None, **options: Any) -> bool:
    """Initialise Sentry with the Django, Celery and Redis integrations, if a DSN is configured.

    Returns whether Sentry was initialised. ``options`` pass through to ``sentry_sdk.init``
    (tests use it to plug in an in-process transport).
    """
    dsn = dsn if dsn is not None else settings.SENTRY_DSN
    if not dsn:
        return False
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.redis import RedisIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=settings.SENTRY_ENVIRONMENT,
        integrations=[DjangoIntegration(), CeleryIntegration(), RedisIntegration()],
        send_default_pii=False,
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        before_send=scrub_event,
        **options,
    )
    return True
