"""The raw event store: the only module that reads or writes raw analytics events.

Everything else (ingestion drain, rollups, GDPR tools, retention, seeding) goes through these
functions, so the storage can move (Citus with ``tenant_id`` as distribution column, ClickHouse)
by reimplementing this module alone. Every function takes the tenant first where it applies.

PostgreSQL: ``analytics_event`` is partitioned by month (RANGE on ``occurred_at``), one partition
``analytics_event_pYYYYMM`` per month plus a default partition; primary key
``(tenant_id, occurred_at, event_id)``, a BRIN index on time, and an index leading with the tenant.
SQLite: a plain table with the same columns and key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC as dt_utc
from datetime import date, datetime, timedelta

from django.db import connection, transaction

from apps.analytics.models import Event

TABLE = "analytics_event"
DEFAULT_PARTITION = "analytics_event_default"
PARTITION_RE = re.compile(r"^analytics_event_p(\d{4})(\d{2})$")
COLUMNS = (
    "tenant_id",
    "occurred_at",
    "event_id",
    "received_at",
    "type",
    "visitor",
    "user_id",
    "url",
    "referrer",
    "product_ref",
    "product_id",
    "query",
    "results_count",
    "props",
)
_FIELDS = {name: Event._meta.get_field(name) for name in COLUMNS}


@dataclass
class EventRow:
    """One event ready to store (already validated, skew-corrected and anonymised)."""

    tenant_id: int
    occurred_at: datetime
    event_id: str
    received_at: datetime
    type: str
    visitor: str
    user_id: int | None = None
    url: str = ""
    referrer: str = ""
    product_ref: str = ""
    product_id: int | None = None
    query: str = ""
    results_count: int | None = None
    props: dict = field(default_factory=dict)

    def values(self) -> tuple:
        return tuple(getattr(self, name) for name in COLUMNS)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- DDL (called by the migration) -----------------------------------------------------------

POSTGRES_DDL = f"""
CREATE TABLE {TABLE} (
    tenant_id bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    event_id uuid NOT NULL,
    received_at timestamptz NOT NULL,
    type varchar(16) NOT NULL,
    visitor varchar(32) NOT NULL,
    user_id bigint NULL,
    url varchar(512) NOT NULL DEFAULT '',
    referrer varchar(255) NOT NULL DEFAULT '',
    product_ref varchar(64) NOT NULL DEFAULT '',
    product_id bigint NULL,
    query varchar(200) NOT NULL DEFAULT '',
    results_count integer NULL,
    props jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    PRIMARY KEY (tenant_id, occurred_at, event_id)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX analytics_event_time_brin ON {TABLE} USING brin (occurred_at);
CREATE INDEX analytics_event_tenant_visitor ON {TABLE} (tenant_id, visitor, occurred_at);
CREATE INDEX analytics_event_tenant_user ON {TABLE} (tenant_id, user_id) WHERE user_id IS NOT NULL;
CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT;
"""

SQLITE_DDL = f"""
CREATE TABLE {TABLE} (
    tenant_id bigint NOT NULL,
    occurred_at datetime NOT NULL,
    event_id char(32) NOT NULL,
    received_at datetime NOT NULL,
    type varchar(16) NOT NULL,
    visitor varchar(32) NOT NULL,
    user_id bigint NULL,
    url varchar(512) NOT NULL DEFAULT '',
    referrer varchar(255) NOT NULL DEFAULT '',
    product_ref varchar(64) NOT NULL DEFAULT '',
    product_id bigint NULL,
    query varchar(200) NOT NULL DEFAULT '',
    results_count integer NULL,
    props text NOT NULL DEFAULT '{{}}',
    PRIMARY KEY (tenant_id, occurred_at, event_id)
);
CREATE INDEX analytics_event_tenant_visitor ON {TABLE} (tenant_id, visitor, occurred_at);
CREATE INDEX analytics_event_user ON {TABLE} (user_id);
"""


def create_table(schema_editor) -> None:
    """Create the event table for the migration's database (partitioned on PostgreSQL)."""
    ddl = POSTGRES_DDL if schema_editor.connection.vendor == "postgresql" else SQLITE_DDL
    for statement in filter(None, (part.strip() for part in ddl.split(";"))):
        schema_editor.execute(statement)
    if schema_editor.connection.vendor == "postgresql":
        today = datetime.now(tz=dt_utc).date()
        for month in _months(_add_months(_month_start(today), -1), _add_months(_month_start(today), 3)):
            schema_editor.execute(_create_partition_sql(month))


def drop_table(schema_editor) -> None:
    """Drop the event table (and its partitions)."""
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE} CASCADE")


# --- Partitions (PostgreSQL) -----------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _months(first: date, last: date) -> Iterator[date]:
    month = _month_start(first)
    while month <= last:
        yield month
        month = _add_months(month, 1)


def partition_name(month: date) -> str:
    """The partition holding ``month`` (any day of it)."""
    return f"{TABLE}_p{month.year:04d}{month.month:02d}"


def _create_partition_sql(month: date) -> str:
    start, end = _month_start(month), _add_months(_month_start(month), 1)
    return (
        f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{start.isoformat()} 00:00:00+00') TO ('{end.isoformat()} 00:00:00+00')"
    )


def list_partitions() -> list[tuple[str, date]]:
    """``(name, first day of month)`` of every monthly partition, oldest first (PostgreSQL)."""
    if not is_postgres():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    result = []
    for name in names:
        match = PARTITION_RE.match(name)
        if match:
            result.append((name, date(int(match.group(1)), int(match.group(2)), 1)))
    return sorted(result, key=lambda item: item[1])


def ensure_partitions(*, first: date, last: date) -> list[str]:
    """Create the monthly partitions covering ``first``..``last`` that do not exist yet.

    Rows already sitting in the default partition for such a month are moved into the new one,
    so creating a partition late never fails. Returns the names created. No-op on SQLite.
    """
    if not is_postgres():
        return []
    existing = {name for name, _ in list_partitions()}
    created = []
    for month in _months(first, last):
        name = partition_name(month)
        if name in existing:
            continue
        start, end = month, _add_months(month, 1)
        bounds = [datetime(start.year, start.month, 1, tzinfo=dt_utc), datetime(end.year, end.month, 1, tzinfo=dt_utc)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s)",  # noqa: S608 (table names are module constants)
                bounds,
            )
            if cursor.fetchone()[0]:
                cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
                cursor.execute(
                    f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s "  # noqa: S608 (table names are module constants)
                    f"RETURNING *) INSERT INTO {name} SELECT * FROM moved",  # noqa: S608 (table names are module constants)
                    bounds,
                )
                cursor.execute(
                    f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
                    bounds,
                )
            else:
                cursor.execute(_create_partition_sql(month))
        created.append(name)
    return created


def drop_partition(*, name: str) -> None:
    """Detach and drop one monthly partition (retention). Refuses names that are not partitions."""
    if not PARTITION_RE.match(name) or name not in {n for n, _ in list_partitions()}:
        raise ValueError(f"{name!r} is not a monthly partition of {TABLE}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
        cursor.execute(f"DROP TABLE {name}")


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


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """``[start, end)`` of a UTC day."""
    start = datetime(day.year, day.month, day.day, tzinfo=dt_utc)
    return start, start + timedelta(days=1)


# --- Aggregation pushed down to PostgreSQL (rollups) ----------------------------------------------

_AGG_BASIC = f"""
SELECT date_trunc('hour', occurred_at, 'UTC') AS hour,
       count(*) AS events,
       count(*) FILTER (WHERE type = 'page_view') AS pageviews,
       count(DISTINCT visitor) FILTER (WHERE visitor <> '') AS visitors,
       count(*) FILTER (WHERE type = 'product_view') AS product_views,
       count(*) FILTER (WHERE type = 'search') AS searches,
       count(*) FILTER (WHERE type = 'search' AND results_count = 0) AS zero_result_searches,
       count(*) FILTER (WHERE type = 'add_to_cart') AS add_to_carts,
       count(*) FILTER (WHERE type = 'checkout_started') AS checkouts,
       count(*) FILTER (WHERE type = 'purchase') AS orders,
       coalesce(sum((props->>'units')::bigint) FILTER (WHERE type = 'purchase'), 0) AS units,
       coalesce(sum((props->>'revenue_cents')::bigint) FILTER (WHERE type = 'purchase'), 0) AS revenue_cents,
       count(*) FILTER (WHERE type = 'refund') AS refunds,
       coalesce(sum((props->>'refund_cents')::bigint) FILTER (WHERE type = 'refund'), 0) AS refunded_cents
FROM {TABLE} WHERE tenant_id = %(tenant)s AND occurred_at >= %(start)s AND occurred_at < %(end)s
GROUP BY 1
"""  # noqa: S608

_AGG_FIRSTS = f"""
SELECT date_trunc('hour', first_at, 'UTC') AS hour, count(*) AS day_visitors
FROM (SELECT visitor, min(occurred_at) AS first_at FROM {TABLE}
      WHERE tenant_id = %(tenant)s AND occurred_at >= %(start)s AND occurred_at < %(end)s AND visitor <> ''
      GROUP BY visitor) AS f
GROUP BY 1
"""  # noqa: S608

_AGG_SESSIONS = f"""
WITH ev AS (
  SELECT visitor, occurred_at, type,
         CASE WHEN lag(occurred_at) OVER w IS NULL OR occurred_at - lag(occurred_at) OVER w > %(gap)s
              THEN 1 ELSE 0 END AS is_start
  FROM {TABLE}
  WHERE tenant_id = %(tenant)s AND occurred_at >= %(wstart)s AND occurred_at < %(wend)s AND visitor <> ''
  WINDOW w AS (PARTITION BY visitor ORDER BY occurred_at)
), numbered AS (
  SELECT visitor, occurred_at, type, sum(is_start) OVER (PARTITION BY visitor ORDER BY occurred_at
         ROWS UNBOUNDED PRECEDING) AS sid FROM ev
), sessions AS (
  SELECT min(occurred_at) AS started, count(*) FILTER (WHERE type = 'page_view') AS pageviews
  FROM numbered GROUP BY visitor, sid
)
SELECT date_trunc('hour', started, 'UTC') AS hour, count(*) AS sessions,
       count(*) FILTER (WHERE pageviews < 2) AS bounces
FROM sessions WHERE started >= %(start)s AND started < %(end)s GROUP BY 1
"""  # noqa: S608

_AGG_DIMENSIONS = f"""
SELECT hour, dimension, key, n FROM (
  SELECT hour, dimension, key, n,
         row_number() OVER (PARTITION BY hour, dimension ORDER BY n DESC, key) AS rank
  FROM (
    SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, d.dimension, d.key, count(*) AS n
    FROM {TABLE}
    CROSS JOIN LATERAL (VALUES
      ('page', CASE WHEN type = 'page_view' AND url <> '' THEN url END),
      ('referrer', CASE WHEN type = 'page_view' AND referrer <> '' THEN referrer END),
      ('product', CASE WHEN type = 'product_view'
                       THEN coalesce(product_id::text, 'ref:' || product_ref) END),
      ('search', CASE WHEN type = 'search' THEN query END),
      ('zero_search', CASE WHEN type = 'search' AND results_count = 0 THEN query END),
      ('voucher', CASE WHEN type = 'purchase' AND coalesce(props->>'voucher', '') <> ''
                       THEN props->>'voucher' END)
    ) AS d(dimension, key)
    WHERE tenant_id = %(tenant)s AND occurred_at >= %(start)s AND occurred_at < %(end)s AND d.key IS NOT NULL
    GROUP BY 1, 2, 3
  ) AS counted
) AS ranked WHERE rank <= %(top)s
"""  # noqa: S608


# Sales per product: the ``items`` of purchase events ({product_id, ref, units, revenue_cents}).
_AGG_PRODUCT_SALES = f"""
SELECT hour, dimension, key, n FROM (
  SELECT hour, dimension, key, n,
         row_number() OVER (PARTITION BY hour, dimension ORDER BY n DESC, key) AS rank
  FROM (
    SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, d.dimension,
           coalesce(item->>'product_id', 'ref:' || (item->>'ref')) AS key, sum(d.amount) AS n
    FROM {TABLE}
    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(props->'items') = 'array'
                                                 THEN props->'items' ELSE '[]'::jsonb END) AS item
    CROSS JOIN LATERAL (VALUES
      ('product_revenue', (item->>'revenue_cents')::bigint),
      ('product_units', (item->>'units')::bigint)
    ) AS d(dimension, amount)
    WHERE tenant_id = %(tenant)s AND occurred_at >= %(start)s AND occurred_at < %(end)s AND type = 'purchase'
    GROUP BY 1, 2, 3
  ) AS counted
) AS ranked WHERE rank <= %(top)s
"""  # noqa: S608


def aggregate_day(*, tenant_id: int, day: date, session_gap: timedelta, lookahead: timedelta, top_n: int):
    """Hourly totals and top keys of one tenant's UTC day, computed in PostgreSQL.

    Returns ``(totals, dimensions)``: ``{hour: {counter: n}}`` and ``{(hour, dimension): {key: n}}``
    (same meaning as the pure-Python ``rollups.compute_day``). Only for PostgreSQL.
    """
    start, end = day_bounds(day)
    params = {
        "tenant": tenant_id,
        "start": start,
        "end": end,
        "wstart": start - session_gap,
        "wend": end + lookahead,
        "gap": session_gap,
        "top": top_n,
    }
    totals: dict[datetime, dict] = {}
    dimensions: dict[tuple[datetime, str], dict] = {}
    with connection.cursor() as cursor:
        for sql in (_AGG_BASIC, _AGG_FIRSTS, _AGG_SESSIONS):
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                totals.setdefault(row[0], {}).update(dict(zip(names[1:], row[1:], strict=True)))
        for sql in (_AGG_DIMENSIONS, _AGG_PRODUCT_SALES):
            cursor.execute(sql, params)
            for hour, dimension, key, count in cursor.fetchall():
                dimensions.setdefault((hour, dimension), {})[key] = int(count)
    return totals, dimensions


def lock_bucket(*, tenant_id: int, day: date) -> None:
    """Serialise writers of one (tenant, day) rollup bucket until the transaction ends (PostgreSQL
    advisory lock; SQLite serialises writers anyway)."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [tenant_id % 2**31, day.toordinal()])
