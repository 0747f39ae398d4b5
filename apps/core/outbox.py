"""The transactional outbox: background work a write schedules is never lost and never lies.

A service that must start a task after its write commits calls::

    from apps.core.outbox import enqueue_task

    with transaction.atomic():
        product = ...save...
        enqueue_task("catalog.refresh_search_vector", tenant_id=tenant.pk, product_id=product.pk)

The task is recorded as an :class:`~apps.core.models.OutboxMessage` row in the same transaction:
if the write rolls back, nothing is scheduled; if it commits, the row exists even when the broker
is down. After commit the row is published at once (``retry=False``: a dead broker costs one fast
failure, never a hung or failed request); a row that could not be published stays pending and
:func:`relay_pending` (beat job ``core.relay_outbox``, ``manage.py relay_outbox``) publishes it
once the broker is back. Tasks must be idempotent (``apps.core.idempotency``): a crash between
publishing and marking the row sends it again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone
from prometheus_client import Counter

from apps.core import context
from apps.core.models import OutboxMessage
from apps.core.tasks import REQUEST_ID_HEADER

logger = logging.getLogger("bazaar.outbox")

OUTBOX_PUBLISHED = Counter("bazaar_outbox_published_total", "Outbox rows published to the broker", ["path"])
OUTBOX_PUBLISH_FAILURES = Counter("bazaar_outbox_publish_failures_total", "Outbox publishes the broker refused")

# A pending row younger than this is left to its own after-commit publish, not the relay.
RELAY_GRACE = timedelta(seconds=10)
RELAY_BATCH = 500


def enqueue_task(task_name: str, *args, countdown: int = 0, **kwargs) -> OutboxMessage:
    """Record ``task_name(*args, **kwargs)`` in the current transaction; publish it after commit.

    Arguments must be JSON-serialisable (ids, not model instances). ``countdown`` delays the
    task (seconds) when it is published. Returns the outbox row.
    """
    if registered_task(task_name) is None:
        raise ValueError(f"Unknown task {task_name!r}: register it with @shared_task(name=...)")
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task_name=task_name,
        args=list(args),
        kwargs=kwargs,
        request_id=context.get_request_id() or "",
        available_at=now + timedelta(seconds=countdown),
    )
    transaction.on_commit(lambda: publish_message(message.pk, path="commit"))
    return message


def registered_task(task_name: str):
    """The Celery task called ``task_name``, or ``None``.

    Web, beat and management-command processes import the apps' task modules lazily (only a worker
    imports them at start), so a miss first lets Celery's autodiscovery import them.
    """
    if task_name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks.get(task_name)


def publish_message(message_id: int, *, path: str = "commit") -> bool:
    """Publish one pending outbox row to the broker and mark it; ``False`` if the broker refused.

    Safe to call for a row already published (it does nothing) or being published by another
    process (the row lock is taken with ``SKIP LOCKED``, so only one of them sends it).
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, dispatched_at__isnull=True)
            .first()
        )
        if message is None:
            return True
        return _publish_locked(message, path=path)


def relay_pending(*, limit: int = RELAY_BATCH, grace: timedelta = RELAY_GRACE) -> int:
    """Publish pending rows older than ``grace`` (the broker was down at commit); returns how many went.

    Stops at the first refusal: if the broker is still down, the rest wait for the next run.
    """
    sent = 0
    cutoff = timezone.now() - grace
    with transaction.atomic():
        pending = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(dispatched_at__isnull=True, created_at__lte=cutoff)
            .order_by("id")[:limit]
        )
        for message in pending:
            published = _publish_locked(message, path="relay")
            if published is None:
                continue  # not a broker problem (unknown task): the others still go
            if not published:
                break
            sent += 1
    return sent


def count_pending() -> int:
    """How many outbox rows wait for the broker (``/readyz`` and metrics report it)."""
    return OutboxMessage.objects.filter(dispatched_at__isnull=True).count()


def purge_dispatched(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete rows published more than ``older_than`` ago."""
    deleted, _ = OutboxMessage.objects.filter(dispatched_at__lt=timezone.now() - older_than).delete()
    return deleted


def _publish_locked(message: OutboxMessage, *, path: str) -> bool | None:
    """Send a locked row; mark it published (True), or record the broker's refusal (False) or an
    unknown task name (None) on it."""
    task = registered_task(message.task_name)
    if task is None:  # renamed or removed since it was recorded: keep the row, say why
        message.attempts += 1
        message.last_error = f"NotRegistered: {message.task_name}"
        message.save(update_fields=["attempts", "last_error"])
        return None
    countdown = max(0.0, (message.available_at - timezone.now()).total_seconds())
    headers = {REQUEST_ID_HEADER: message.request_id} if message.request_id else {}
    message.attempts += 1
    if task.app.conf.task_always_eager:
        # Embedded mode: no broker; the task runs here and now. If it fails (SMTP down...), the
        # write that scheduled it has committed and must not be reported as failed: the row stays
        # pending with the error, for the relay to run it again.
        try:
            task.apply_async(args=message.args, kwargs=message.kwargs, headers=headers)
        except Exception as exc:  # noqa: BLE001 - the task's failure must not fail the committed request
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.save(update_fields=["attempts", "last_error"])
            logger.warning("eager outbox task failed; the relay will retry", extra={"task": message.task_name})
            return False
        _mark_published(message, path=path)
        return True
    try:
        task.apply_async(
            args=message.args, kwargs=message.kwargs, countdown=countdown or None, headers=headers, retry=False
        )
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for the relay
        OUTBOX_PUBLISH_FAILURES.inc()
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        message.save(update_fields=["attempts", "last_error"])
        logger.warning(
            "outbox publish failed; the relay will retry",
            extra={"task": message.task_name, "outbox_id": message.pk, "error": message.last_error},
        )
        return False
    _mark_published(message, path=path)
    return True


def _mark_published(message: OutboxMessage, *, path: str) -> None:
    """Mark a row published and drop its arguments: they can carry an email's body or an invitation
    token, which must not sit in the table for the day the row is kept (the task name stays)."""
    message.dispatched_at = timezone.now()
    message.args, message.kwargs = [], {}
    message.save(update_fields=["attempts", "dispatched_at", "args", "kwargs"])
    OUTBOX_PUBLISHED.labels(path).inc()
