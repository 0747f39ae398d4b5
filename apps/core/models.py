"""Core tables: the idempotency record of processed task messages."""

from django.db import models
from django.utils import timezone


class ProcessedMessage(models.Model):
    """One row per message whose effect has been applied (see ``apps.core.idempotency``).

    Celery acknowledges late, so a message can be delivered again (a worker died, a broker
    redelivered). A task records the message key in the same transaction as its effect; a second
    delivery finds the key and does nothing.
    """

    key = models.CharField(max_length=255, unique=True)
    task = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "processed message"

    def __str__(self) -> str:
        return self.key


class OutboxMessage(models.Model):
    """A Celery task a write scheduled, recorded in the write's own transaction (the outbox).

    ``apps.core.outbox.enqueue_task`` inserts the row; after commit the row is sent to the broker
    and marked ``dispatched_at``. If the broker cannot take it, the row stays pending and the relay
    (beat job ``core.relay_outbox``, or ``manage.py relay_outbox``) sends it later. Tasks are
    idempotent, so a row sent twice after a crash between send and mark does no harm.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = "outbox message"
        indexes = [
            models.Index(
                fields=["available_at"], name="core_outbox_pending", condition=models.Q(dispatched_at__isnull=True)
            ),
            models.Index(fields=["dispatched_at"], name="core_outbox_dispatched"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"


class FailedTask(models.Model):
    """A task that failed for good: its last retry failed, or it raised an error that is not retried.

    ``BazaarTask.on_failure`` writes the row (shown in the admin, counted in
    ``bazaar_celery_tasks_failed_total``), so a failure is a visible state, never silence. An
    operator fixes the cause and re-runs it from the admin ("Run again"), then the row is resolved.
    """

    task_name = models.CharField(max_length=200, db_index=True)
    task_id = models.CharField(max_length=255, blank=True, default="")
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    exception = models.CharField(max_length=300)
    message = models.TextField(blank=True, default="")
    traceback = models.TextField(blank=True, default="")
    retries = models.PositiveIntegerField(default=0)
    request_id = models.CharField(max_length=64, blank=True, default="")
    failed_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "failed task"
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_name} failed at {self.failed_at:%Y-%m-%d %H:%M:%S}"
