"""API throttles: every API view gets the anonymous and the per-user rate
(``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``), and a few writes get a scope of their own.

DRF's classes read ``DEFAULT_THROTTLE_RATES`` once at import; these read it on every request, so a
change of settings (and a test's ``settings`` fixture) takes effect at once. Counters are keyed by
the client address of ``apps.core.client_ip`` (anonymous) or the user id. A refusal is 429
``throttled`` in the error shape with ``Retry-After`` (``apps.core.errors``).

Outage rule (docs/operations.md):

- Scopes in :data:`FAIL_CLOSED_SCOPES` (the login/token endpoints, scope ``auth``) count in the
  ``tokens`` cache alias (the token store's persistent Redis, never evicted or flushed with the
  cache) and **fail closed**: when it is down the request answers 503 ``token_store_unavailable``
  (a login that cannot be rate-limited is not attempted; the refresh token could not be stored
  either).
- Every other scope counts in the default cache and **fails open**: a cache outage reads as an empty
  history (``apps.core.cache``), so reads keep being served, unthrottled, while Redis is away.

Lockout after repeated failed logins is django-axes' database handler: PostgreSQL, not Redis.

Documented exceptions: analytics ingestion (``POST /api/v1/t/<slug>/analytics/events``) counts
events per address, visitor and tenant itself (``apps.analytics.services``); the Stripe webhook
(``POST /api/v1/t/<slug>/payments/webhooks/stripe``) is not throttled, since Stripe retries a
refused delivery and an unsigned request costs one HMAC check; the auth endpoints use the ``auth``
scope (per address) instead of the anonymous rate. ``tests/security/test_throttles.py`` walks every
API route and fails on a view without throttles that is not one of these.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework import throttling

FAIL_CLOSED_SCOPES = frozenset({"auth"})


def configured_rate(scope: str) -> str | None:
    """The current rate for ``scope`` from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``."""
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


class _LiveRates:
    def get_rate(self):
        return configured_rate(self.scope)


class AnonRateThrottle(_LiveRates, throttling.AnonRateThrottle):
    """Anonymous callers, per client address (scope ``anon``)."""


class UserRateThrottle(_LiveRates, throttling.UserRateThrottle):
    """Signed-in callers, per user (scope ``user``).

    DRF's class also counts anonymous callers per address, which repeats the ``anon`` count at
    the (looser) user rate: two more cache round trips per anonymous request. Every view that has
    this class has :class:`AnonRateThrottle` too (``DEFAULT_CLASSES``), so anonymous callers are
    left to it.
    """

    def allow_request(self, request, view) -> bool:
        """Count a signed-in caller's request; anonymous ones are the ``anon`` rate's."""
        if not (request.user and request.user.is_authenticated):
            return True
        return super().allow_request(request, view)


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """``throttle_scope`` of the view, limited to ``throttle_scope_methods`` when it declares them
    (e.g. only ``POST`` of a list that also answers ``GET``); fail-closed scopes count in the token
    store (see the module's outage rule)."""

    def allow_request(self, request, view) -> bool:
        """Count the request in the cache its scope belongs to; may raise 503 (fail-closed scopes)."""
        methods = getattr(view, "throttle_scope_methods", None)
        if methods is not None and request.method not in methods:
            return True
        if getattr(view, self.scope_attr, None) in FAIL_CLOSED_SCOPES:
            self.cache = caches["tokens"]
        return super().allow_request(request, view)

    def get_rate(self):
        return configured_rate(self.scope)


DEFAULT_CLASSES = [AnonRateThrottle, UserRateThrottle]
WITH_SCOPE = [*DEFAULT_CLASSES, ScopedRateThrottle]
