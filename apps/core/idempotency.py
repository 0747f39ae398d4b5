"""Apply a task's effect once per message, however often the message is delivered.

Usage inside a task (effect and record commit together or not at all)::

    with transaction.atomic():
        if not claim_message(key=f"import:{import_id}", task=self.name):
            return  # delivered before: the effect is already applied
        apply_the_effect()
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connections, router, transaction
from django.utils import timezone

from apps.core.models import ProcessedMessage


def claim_message(*, key: str, task: str = "") -> bool:
    """Record ``key`` as processed; ``True`` on the first claim, ``False`` if it was claimed before.

    Uses ``INSERT ... ON CONFLICT DO NOTHING`` (PostgreSQL, SQLite 3.35+), so two concurrent
    deliveries cannot both win: the second waits for the first's transaction and then loses.
    Call it inside the ``transaction.atomic()`` block that applies the effect.
    """
    if not key or len(key) > 255:
        raise ValueError("an idempotency key is 1 to 255 characters")
    alias = router.db_for_write(ProcessedMessage)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(ProcessedMessage._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({quote('key')}, {quote('task')}, {quote('created_at')}) "  # noqa: S608 - names are ours
        f"VALUES (%s, %s, %s) ON CONFLICT ({quote('key')}) DO NOTHING RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, task[:200], timezone.now()])
        return cursor.fetchone() is not None


def was_processed(*, key: str) -> bool:
    """Whether a message with ``key`` has been claimed."""
    return ProcessedMessage.objects.filter(key=key).exists()


def purge_processed_messages(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete idempotency records older than ``older_than`` (messages are not redelivered that late)."""
    with transaction.atomic():
        deleted, _ = ProcessedMessage.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
