"""Primary/replica routing with read-your-writes.

When ``DATABASE_REPLICA_URL`` is set, reads go to the ``replica`` alias, except within a request
(or task) that has already written: from its first write on, reads stick to the primary so a user
sees what they just saved.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db import connections

_has_written: ContextVar[bool] = ContextVar("has_written", default=False)


def mark_written() -> None:
    """Record that the current request has written; later reads go to the primary."""
    _has_written.set(True)


def reset_written():
    """Start a fresh unit of work (a task) that has not written; returns a token for ``restore_written``."""
    return _has_written.set(False)


def restore_written(token) -> None:
    """Undo ``reset_written``."""
    _has_written.reset(token)


def has_written() -> bool:
    """Whether the current request has written to the primary."""
    return _has_written.get()


class PrimaryReplicaRouter:
    """Reads to ``replica`` unless this request wrote; writes, relations and migrations to default."""

    replica_alias = "replica"
    # Read right after they are written, by the next request (a login, then the redirect): a
    # lagging replica would log the user out or forget a lockout. Always from the primary.
    primary_only_apps = frozenset({"sessions", "axes"})

    def db_for_read(self, model, **hints):
        if has_written() or self.replica_alias not in connections.databases:
            return "default"
        if model._meta.app_label in self.primary_only_apps:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"  # a transaction reads its own writes
        return self.replica_alias

    def db_for_write(self, model, **hints):
        mark_written()
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadYourWritesMiddleware:
    """Reset the written flag at the start of each request; an unsafe method counts as a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _has_written.set(request.method not in ("GET", "HEAD", "OPTIONS"))
        try:
            return self.get_response(request)
        finally:
            _has_written.reset(token)
