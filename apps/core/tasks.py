"""The base class of every Celery task in Bazaar.

- carries the request id of the request that started it (sent as a message header, restored in
  the worker so the task's log lines and Sentry events carry it);
- acknowledges late (``acks_late``), so a worker that dies mid-task leaves the message to be
  delivered again; tasks must therefore be idempotent;
- retries transient errors (connection and timeout errors, database operational errors) with
  exponential backoff and jitter;
- after its last try, leaves a ``FailedTask`` row (apps/core/failures.py), visible in the admin
  and counted in ``bazaar_celery_tasks_failed_total``.
"""

from __future__ import annotations

from datetime import timedelta

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from apps.core import context, db_router
from apps.core.idempotency import purge_processed_messages as purge

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError, OperationalError, InterfaceError)
REQUEST_ID_HEADER = "bazaar_request_id"


class BazaarTask(Task):
    """Task base: request id propagation, late acks, retries with backoff on transient errors."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5

    def apply_async(
        self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None, shadow=None, **options
    ):
        request_id = context.get_request_id()
        if request_id:
            headers = dict(options.pop("headers", None) or {})
            headers.setdefault(REQUEST_ID_HEADER, request_id)
            options["headers"] = headers
        return super().apply_async(args, kwargs, task_id, producer, link, link_error, shadow, **options)

    def __call__(self, *args, **kwargs):
        request_id = self._incoming_request_id()
        tokens = [(context.request_id_var, context.request_id_var.set(request_id or context.get_request_id()))]
        if not getattr(self.request, "is_eager", False):
            # In a worker, nothing of the previous task's tenant or user may label this one's logs.
            tokens += [
                (context.tenant_var, context.tenant_var.set(None)),
                (context.user_id_var, context.user_id_var.set(None)),
            ]
        written = db_router.read_from_primary()  # the rows a task is given may not be on a replica yet
        try:
            return super().__call__(*args, **kwargs)
        finally:
            db_router.restore_written(written)
            for var, token in reversed(tokens):
                var.reset(token)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """The task failed for good (last retry, or an error that is not retried): record it."""
        from apps.core.failures import record_failed_task  # noqa: PLC0415 - models load after this module

        record_failed_task(
            task_name=self.name,
            task_id=task_id,
            args=args,
            kwargs=kwargs,
            exc=exc,
            traceback=str(einfo) if einfo else "",
            retries=self.request.retries or 0,
            request_id=self._incoming_request_id() or context.get_request_id() or "",
        )

    def _incoming_request_id(self) -> str | None:
        request = self.request
        value = getattr(request, REQUEST_ID_HEADER, None)
        if value:
            return value
        headers = getattr(request, "headers", None) or {}
        return headers.get(REQUEST_ID_HEADER) if isinstance(headers, dict) else None


@shared_task(name="core.purge_processed_messages")
def purge_processed_messages(days: int = 30) -> int:
    """Beat job: forget idempotency records older than ``days`` days."""

    return purge(older_than=timedelta(days=days))


@shared_task(name="core.relay_outbox")
def relay_outbox() -> int:
    """Beat job: publish outbox rows the broker could not take when their write committed."""
    from apps.core.outbox import relay_pending  # noqa: PLC0415 - outbox imports this module

    return relay_pending()


@shared_task(name="core.purge_outbox")
def purge_outbox(days: int = 1) -> int:
    """Beat job: forget outbox rows published more than ``days`` days ago."""
    from apps.core.outbox import purge_dispatched  # noqa: PLC0415 - outbox imports this module

    return purge_dispatched(older_than=timedelta(days=days))
