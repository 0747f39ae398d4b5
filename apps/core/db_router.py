"""Primary/replica routing with read-your-writes.

When ``DATABASE_REPLICA_URL`` is set, reads go to the ``replica`` alias, except within a request
(or task) that has already written: from its first write on, reads stick to the primary so a user
sees what they just saved; the same browser's requests in the next ``STICKY_SECONDS`` too (a
short cookie set after a write). Accounts, tenants (memberships), sessions and lockouts are always
read from the primary. A replica that stops answering is skipped (``replica_reachable``).

API clients that send a bearer token keep no cookies, so their stickiness is kept server-side: a
write marks a hash of the token in the cache for ``STICKY_SECONDS`` and the token's next requests
read from the primary. With the cache down the mark is lost and reads go to the replica again,
which costs staleness for at most the replica's lag, never an error.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections

_has_written: ContextVar[bool] = ContextVar("has_written", default=False)


def mark_written() -> None:
    """Record that the current request has written; later reads go to the primary."""
    _has_written.set(True)


def reset_written():
    """Start a fresh unit of work that has not written; returns a token for ``restore_written``."""
    return _has_written.set(False)


def read_from_primary():
    """Start a unit of work that reads from the primary (a background task); returns a token for
    ``restore_written``. A task is usually handed a row written a moment before (the outbox
    publishes right after the commit), which a replica may not have replayed yet: reading it from
    the replica would find nothing and the task would quietly do nothing."""
    return _has_written.set(True)


def restore_written(token) -> None:
    """Undo ``reset_written``."""
    _has_written.reset(token)


def has_written() -> bool:
    """Whether the current request has written to the primary."""
    return _has_written.get()


# After a request writes, the same browser's next requests for this long read from the primary too
# (a save, then the redirect to the page showing it), whatever the replica's lag.
STICKY_COOKIE = "bazaar_primary"
STICKY_SECONDS = 10
# How long one "is the replica reachable?" answer is trusted per process.
REPLICA_PROBE_SECONDS = 2.0
_probe_lock = threading.Lock()
_probe: dict[str, tuple[float, bool]] = {}


def replica_reachable(alias: str = "replica") -> bool:
    """Whether the replica's port accepts a connection (cached ``REPLICA_PROBE_SECONDS``).

    A replica that went away sends reads to the primary within seconds instead of failing them;
    when it is back, reads return to it.
    """
    now = time.monotonic()
    checked = _probe.get(alias)
    if checked is not None and now - checked[0] < REPLICA_PROBE_SECONDS:
        return checked[1]
    with _probe_lock:
        settings_dict = connections.databases[alias]
        host, port = settings_dict.get("HOST") or "127.0.0.1", int(settings_dict.get("PORT") or 5432)
        try:
            with socket.create_connection((host, port), timeout=0.25):
                reachable = True
        except OSError:
            reachable = False
        _probe[alias] = (now, reachable)
    return reachable


class PrimaryReplicaRouter:
    """Reads to ``replica`` unless this request wrote; writes, relations and migrations to default."""

    replica_alias = "replica"
    # Read right after they are written, by the next request (a login, then the redirect): a
    # lagging replica would log the user out or forget a lockout. Always from the primary.
    # Authority is read from the primary too: a revoked membership or a logged-out-everywhere user
    # must not keep access for as long as the replica lags.
    primary_only_apps = frozenset({"sessions", "axes", "tenants", "accounts"})

    def db_for_read(self, model, **hints):
        if has_written() or self.replica_alias not in connections.databases:
            return "default"
        if model._meta.app_label in self.primary_only_apps:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"  # a transaction reads its own writes
        if not replica_reachable(self.replica_alias):
            return "default"
        return self.replica_alias

    def db_for_write(self, model, **hints):
        mark_written()
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _bearer_sticky_key(request) -> str | None:
    """The cache key marking a bearer token's recent write, or None for a request without one."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    digest = hashlib.sha256(credential.strip().encode()).hexdigest()[:32]
    return f"db:sticky:{digest}"


def _router_installed() -> bool:
    return "apps.core.db_router.PrimaryReplicaRouter" in settings.DATABASE_ROUTERS


def _wants_sticky(request) -> bool:
    """A signed-in browser session, with the router installed: anonymous visitors (storefront,
    analytics beacons) get no cookie, and without a replica there is nothing to stick to."""
    if not _router_installed():
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class ReadYourWritesMiddleware:
    """Reset the written flag at the start of each request; an unsafe method counts as a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
        bearer_key = _bearer_sticky_key(request) if _router_installed() else None
        sticky = unsafe or STICKY_COOKIE in request.COOKIES
        if not sticky and bearer_key is not None:
            sticky = bool(cache.get(bearer_key))
        token = _has_written.set(sticky)
        try:
            response = self.get_response(request)
            if unsafe or has_written():
                if bearer_key is not None:
                    # The same token's next requests read their own writes (it keeps no cookie).
                    cache.set(bearer_key, 1, STICKY_SECONDS)
                elif _wants_sticky(request):
                    # The same browser's next requests read their own writes (set only after a write).
                    response.set_cookie(STICKY_COOKIE, "1", max_age=STICKY_SECONDS, httponly=True, samesite="Lax")
            return response
        finally:
            _has_written.reset(token)
