"""Visible failure of background work: the ``FailedTask`` record a task leaves after its last try.

``BazaarTask.on_failure`` (apps/core/tasks.py) calls :func:`record_failed_task`; the admin lists
the rows and can run a task again (:func:`retry_failed_task`, through the outbox).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from prometheus_client import Counter

from apps.core.models import FailedTask

logger = logging.getLogger("bazaar.tasks")

TASKS_FAILED = Counter("bazaar_celery_tasks_failed_total", "Tasks that failed after their last retry", ["task"])

# task name -> callable(kwargs: dict, message: str): an app marks its own record (a job) failed.
_FAILURE_HANDLERS: dict[str, Callable[[dict, str], None]] = {}


def on_final_failure(task_name: str):
    """Decorator: call ``handler(kwargs, message)`` when ``task_name`` fails for good.

    The hook lets an app turn a dead task into its own visible state (a catalog job ``failed``
    with a message) without core importing the app.
    """

    def register(handler: Callable[[dict, str], None]) -> Callable[[dict, str], None]:
        _FAILURE_HANDLERS[task_name] = handler
        return handler

    return register


def record_failed_task(
    *, task_name: str, task_id: str, args, kwargs, exc: BaseException, traceback: str, retries: int, request_id: str
) -> FailedTask | None:
    """Store one final failure (never raises: a failure record must not hide the failure itself)."""
    TASKS_FAILED.labels(task_name).inc()
    logger.error(
        "task failed after its last try",
        extra={"task": task_name, "task_id": task_id, "error": f"{type(exc).__name__}: {exc}"[:300]},
    )
    handler = _FAILURE_HANDLERS.get(task_name)
    if handler is not None:
        try:
            handler(dict(kwargs or {}), f"{type(exc).__name__}: {exc}"[:400])
        except Exception:  # noqa: BLE001 - the record below must still be written
            logger.exception("failure handler raised", extra={"task": task_name})
    try:
        return FailedTask.objects.create(
            task_name=task_name,
            task_id=task_id or "",
            args=list(args or []),
            kwargs=dict(kwargs or {}),
            exception=type(exc).__name__[:300],
            message=str(exc)[:2000],
            traceback=(traceback or "")[-10000:],
            retries=retries,
            request_id=request_id or "",
        )
    except Exception:  # noqa: BLE001 - the database may be the reason the task failed
        logger.exception("could not record the failed task", extra={"task": task_name})
        return None


def retry_failed_task(failed: FailedTask) -> None:
    """Schedule the task again with its arguments (through the outbox) and mark the row resolved."""
    from apps.core.outbox import enqueue_task  # noqa: PLC0415 - outbox imports tasks, which import this

    with transaction.atomic():
        enqueue_task(failed.task_name, *failed.args, **failed.kwargs)
        failed.resolved_at = timezone.now()
        failed.save(update_fields=["resolved_at"])


def count_unresolved() -> int:
    """Failed tasks nobody has dealt with yet."""
    return FailedTask.objects.filter(resolved_at__isnull=True).count()
