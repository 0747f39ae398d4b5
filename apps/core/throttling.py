"""DRF's scoped throttle with Bazaar's outage rule for rate limits.

- Scopes in :data:`FAIL_CLOSED_SCOPES` (the login/token endpoints, scope ``auth``) count in the
  ``tokens`` cache alias (the token store's persistent Redis, never evicted or flushed with the
  cache) and **fail closed**: when it is down the request answers 503 ``token_store_unavailable``
  (a login that cannot be rate-limited is not attempted; the refresh token could not be stored
  either).
- Every other scope counts in the default cache and **fails open**: a cache outage reads as an empty
  history (apps.core.cache), so reads keep being served, unthrottled, while Redis is away.

Lockout after repeated failed logins is django-axes' database handler: PostgreSQL, not Redis.
"""

from __future__ import annotations

from django.core.cache import caches
from rest_framework import throttling

FAIL_CLOSED_SCOPES = frozenset({"auth"})


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """``rest_framework.throttling.ScopedRateThrottle`` with the rule above (drop-in replacement)."""

    def allow_request(self, request, view) -> bool:
        """Count the request in the cache its scope belongs to; may raise 503 (fail-closed scopes)."""
        if getattr(view, self.scope_attr, None) in FAIL_CLOSED_SCOPES:
            self.cache = caches["tokens"]
        return super().allow_request(request, view)
