"""Per-request (and per-task) context: request id, tenant slug and user id.

Held in ``contextvars`` so that log lines, Sentry events and Celery task headers can read them
without passing the request around.
"""

from contextvars import ContextVar

import sentry_sdk

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
tenant_var: ContextVar[str | None] = ContextVar("tenant", default=None)
user_id_var: ContextVar[str | None] = ContextVar("user_id", default=None)


def get_request_id() -> str | None:
    """The id of the request (or task) being served, if any."""
    return request_id_var.get()


def set_tenant(slug: str | None) -> None:
    """Record the tenant resolved for this request, for logs and Sentry."""
    tenant_var.set(slug)
    if slug:
        sentry_sdk.get_isolation_scope().set_tag("tenant", slug)


def set_user_id(user_id: str | None) -> None:
    """Record the authenticated user's public id for this request, for logs and Sentry."""
    user_id_var.set(user_id)
