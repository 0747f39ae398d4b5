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
