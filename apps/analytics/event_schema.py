"""The raw event table's schema and partitions: the DDL, built from the ``Event`` model.

``Event`` (``apps.analytics.models``, unmanaged) is the one description of the columns: the
column list, their types and nullability come from its ``_meta``; a column's DDL default is the
default ``EventRow`` gives it. Indexes and the partitioning are stated here.

PostgreSQL: ``analytics_event`` is partitioned by month (RANGE on ``occurred_at``), one partition
``analytics_event_pYYYYMM`` per month plus a default partition; primary key
``(tenant_id, occurred_at, event_id)``, a BRIN index on time, and an index leading with the tenant.
SQLite: a plain table with the same columns and key.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC as dt_utc
from datetime import date, datetime

from django.db import connection, transaction

from apps.analytics.models import Event

TABLE = Event._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"
PARTITION_RE = re.compile(rf"^{TABLE}_p(\d{{4}})(\d{{2}})$")
FIELDS = tuple(f for f in Event._meta.concrete_fields if f.column)
COLUMNS = tuple(f.column for f in FIELDS)
PRIMARY_KEY = tuple(f.column for f in Event._meta.pk_fields)


@dataclass
class EventRow:
    """One event ready to store (already validated, skew-corrected and anonymised); its fields are
    ``COLUMNS`` in order (a test holds them equal)."""

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
        """The row's values in ``COLUMNS`` order."""
        return tuple(getattr(self, name) for name in COLUMNS)


def is_postgres() -> bool:
    """Whether the default database is PostgreSQL (partitions, COPY, pushed-down aggregation)."""
    return connection.vendor == "postgresql"


# --- DDL (called by the migration) -----------------------------------------------------------

POSTGRES_INDEXES = (
    f"CREATE INDEX analytics_event_time_brin ON {TABLE} USING brin (occurred_at)",
    f"CREATE INDEX analytics_event_tenant_visitor ON {TABLE} (tenant_id, visitor, occurred_at)",
    f"CREATE INDEX analytics_event_tenant_user ON {TABLE} (tenant_id, user_id) WHERE user_id IS NOT NULL",
    f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT",
)
SQLITE_INDEXES = (
    f"CREATE INDEX analytics_event_tenant_visitor ON {TABLE} (tenant_id, visitor, occurred_at)",
    f"CREATE INDEX analytics_event_user ON {TABLE} (user_id)",
)


def _row_defaults() -> dict[str, object]:
    defaults = {}
    for item in dataclasses.fields(EventRow):
        if item.default is not dataclasses.MISSING:
            defaults[item.name] = item.default
        elif item.default_factory is not dataclasses.MISSING:
            defaults[item.name] = item.default_factory()
    return defaults


def _sql_default(value, *, vendor: str) -> str | None:
    if value is None:
        return None
    if value == {}:
        return "'{}'::jsonb" if vendor == "postgresql" else "'{}'"
    if value == "":
        return "''"
    raise ValueError(f"No DDL default for {value!r}")


def column_definitions(db_connection) -> list[str]:
    """``name type [NOT] NULL [DEFAULT ...]`` of every column, for ``db_connection``'s database."""
    defaults = _row_defaults()
    vendor = db_connection.vendor
    lines = []
    for item in FIELDS:
        line = f"{item.column} {item.db_type(db_connection)} {'NULL' if item.null else 'NOT NULL'}"
        default = _sql_default(defaults.get(item.column), vendor=vendor)
        if default is not None:
            line += f" DEFAULT {default}"
        lines.append(line)
    return lines


def create_table_sql(db_connection) -> list[str]:
    """The statements that create the event table and its indexes (partitioned on PostgreSQL)."""
    body = ",\n    ".join([*column_definitions(db_connection), f"PRIMARY KEY ({', '.join(PRIMARY_KEY)})"])
    if db_connection.vendor == "postgresql":
        return [f"CREATE TABLE {TABLE} (\n    {body}\n) PARTITION BY RANGE (occurred_at)", *POSTGRES_INDEXES]
    return [f"CREATE TABLE {TABLE} (\n    {body}\n)", *SQLITE_INDEXES]


def create_table(schema_editor) -> None:
    """Create the event table for the migration's database (partitioned on PostgreSQL)."""
    for statement in create_table_sql(schema_editor.connection):
        schema_editor.execute(statement)
    if schema_editor.connection.vendor == "postgresql":
        today = datetime.now(tz=dt_utc).date()
        for month in _months(add_months(month_start(today), -1), add_months(month_start(today), 3)):
            schema_editor.execute(_create_partition_sql(month))


def drop_table(schema_editor) -> None:
    """Drop the event table (and its partitions)."""
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE} CASCADE")


# --- Partitions (PostgreSQL) -----------------------------------------------------------------


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month``'s (negative: before)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _months(first: date, last: date) -> Iterator[date]:
    month = month_start(first)
    while month <= last:
        yield month
        month = add_months(month, 1)


def partition_name(month: date) -> str:
    """The partition holding ``month`` (any day of it)."""
    return f"{TABLE}_p{month.year:04d}{month.month:02d}"


def _create_partition_sql(month: date) -> str:
    start, end = month_start(month), add_months(month_start(month), 1)
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
        start, end = month, add_months(month, 1)
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
