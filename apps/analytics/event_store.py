"""The raw event store: the only module that reads or writes raw analytics events.

Everything else (ingestion drain, rollups, GDPR tools, retention, seeding) goes through these
functions, so the storage can move (Citus with ``tenant_id`` as distribution column, ClickHouse)
by reimplementing this module alone. Every function takes the tenant first where it applies.

The table's schema, DDL and partitions are in ``apps.analytics.event_schema`` (built from the
``Event`` model), the rollup aggregation SQL in ``apps.analytics.event_aggregates``; their public
names are importable from here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction

from apps.analytics.event_aggregates import aggregate_day, day_bounds, lock_bucket  # noqa: F401 - public here too
from apps.analytics.event_schema import (  # noqa: F401 - public here too
    COLUMNS,
    DEFAULT_PARTITION,
    FIELDS,
    PARTITION_RE,
    TABLE,
    EventRow,
    create_table,
    drop_partition,
    drop_table,
    ensure_partitions,
    is_postgres,
    list_partitions,
    partition_name,
)
from apps.analytics.models import Event

_FIELDS = {item.column: item for item in FIELDS}


# --- Writes ------------------------------------------------------------------------------------


def _prep(name: str, value):
    if name == "props" and not is_postgres():
        return json.dumps(value or {}, separators=(",", ":"))
    return _FIELDS[name].get_db_prep_value(value, connection, prepared=False)


def write_batch(rows: Iterable[EventRow]) -> int:
    """Insert rows idempotently (``ON CONFLICT DO NOTHING`` on the key); returns how many were new."""
    rows = list(rows)
    if not rows:
        return 0
    if is_postgres() and len(rows) >= STAGE_THRESHOLD:
        return _write_staged(rows)
    placeholders = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            params: list = []
            for row in chunk:
                params.extend(_prep(name, value) for name, value in zip(COLUMNS, row.values(), strict=True))
            cursor.execute(
                f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES {', '.join([placeholders] * len(chunk))} "  # noqa: S608 (table names are module constants)
                "ON CONFLICT DO NOTHING",
                params,
            )
            inserted += max(cursor.rowcount, 0)
    return inserted


STAGE_THRESHOLD = 200
STAGE_TABLE = "analytics_event_stage"


def _write_staged(rows: list[EventRow]) -> int:
    """Large batches on PostgreSQL: COPY into a per-connection temporary staging table, then one
    ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` (COPY is far cheaper than bound parameters)."""
    columns = ", ".join(COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE_TABLE} "
            f"(LIKE {TABLE} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        with cursor.cursor.copy(f"COPY {STAGE_TABLE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = list(row.values())
                values[-1] = json.dumps(values[-1] or {}, separators=(",", ":"))
                copy.write_row(values)
        cursor.execute(
            f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM {STAGE_TABLE} ON CONFLICT DO NOTHING"  # noqa: S608
        )
        inserted = max(cursor.rowcount, 0)
        cursor.execute(f"TRUNCATE {STAGE_TABLE}")
    return inserted


def copy_rows(rows: Iterable[EventRow | tuple]) -> int:
    """Bulk-load rows (EventRow or tuples in ``COLUMNS`` order) with COPY on PostgreSQL (no conflict
    handling: fresh ids only); on SQLite, idempotent inserts in chunks. Returns the count."""
    if not is_postgres():
        total, chunk = 0, []
        for row in rows:
            chunk.append(row if isinstance(row, EventRow) else EventRow(*row))
            if len(chunk) >= 2000:
                total += write_batch(chunk)
                chunk = []
        return total + write_batch(chunk)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                values = list(row.values() if isinstance(row, EventRow) else row)
                values[-1] = json.dumps(values[-1] or {}, separators=(",", ":"))
                copy.write_row(values)
                count += 1
    return count


def unlink_user(*, user_id: int) -> int:
    """Detach every event from ``user_id`` (erasure): events stay, anonymous. Returns rows changed."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET user_id = NULL WHERE user_id = %s", [user_id])  # noqa: S608 (table names are module constants)
        return cursor.rowcount


def delete_tenant_events(*, tenant_id: int) -> int:
    """Delete every raw event of one tenant (tenant erasure). Returns rows deleted."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE tenant_id = %s", [tenant_id])  # noqa: S608 (table names are module constants)
        return cursor.rowcount


def delete_tenant_events_before(*, tenant_id: int, before: datetime) -> int:
    """Delete one tenant's raw events older than ``before`` (retention in shared partitions)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE tenant_id = %s AND occurred_at < %s",  # noqa: S608 (table names are module constants)
            [tenant_id, _prep("occurred_at", before)],
        )
        return cursor.rowcount


# --- Reads -------------------------------------------------------------------------------------

ROLLUP_FIELDS = (
    "occurred_at",
    "type",
    "visitor",
    "url",
    "referrer",
    "product_id",
    "query",
    "results_count",
    "product_ref",
    "props",
)


def read_range(*, tenant_id: int, start: datetime, end: datetime, fields: tuple[str, ...] = ROLLUP_FIELDS):
    """Tuples of ``fields`` for one tenant's events in ``[start, end)``, by visitor then time."""
    return (
        Event.objects.filter(tenant_id=tenant_id, occurred_at__gte=start, occurred_at__lt=end)
        .order_by("visitor", "occurred_at")
        .values_list(*fields)
        .iterator(chunk_size=5000)
    )


def count_events(
    *,
    tenant_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    event_type: str | None = None,
) -> int:
    """How many raw events are stored (for one tenant, in a range, of one type)."""
    queryset = Event.objects.all()
    if tenant_id is not None:
        queryset = queryset.filter(tenant_id=tenant_id)
    if event_type is not None:
        queryset = queryset.filter(type=event_type)
    if start is not None:
        queryset = queryset.filter(occurred_at__gte=start)
    if end is not None:
        queryset = queryset.filter(occurred_at__lt=end)
    return queryset.count()


def oldest_event_time(*, tenant_id: int) -> datetime | None:
    """The time of the tenant's oldest stored event, if any."""
    return (
        Event.objects.filter(tenant_id=tenant_id).order_by("occurred_at").values_list("occurred_at", flat=True).first()
    )


def read_user_events(*, user_id: int) -> list[dict]:
    """Every event linked to ``user_id`` (GDPR export), oldest first, as JSON-ready dicts."""
    rows = (
        Event.objects.filter(user_id=user_id)
        .order_by("occurred_at")
        .values("tenant_id", "event_id", "occurred_at", "type", "url", "referrer", "product_ref", "query", "props")
    )
    return [
        {**row, "event_id": str(row["event_id"]), "occurred_at": row["occurred_at"].isoformat().replace("+00:00", "Z")}
        for row in rows
    ]


def count_user_events(*, user_id: int) -> int:
    """How many events are linked to ``user_id``."""
    return Event.objects.filter(user_id=user_id).count()
