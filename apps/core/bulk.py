"""Set-based writes for seeding at scale (PostgreSQL only): reserve ids, then COPY rows in.

Used by the apps' ``seed`` modules (``manage.py seed_platform``): COPY moves ~10^5 rows a second
where ``bulk_create`` moves ~10^4, and reserving ids from the table's own identity sequence first
lets one COPY reference rows another COPY wrote, without reading them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import connection

from apps.core.errors import ApplicationError, ErrorCode


def require_postgres(what: str) -> None:
    """Raise a clear error when ``what`` is asked of a database that is not PostgreSQL."""
    if not settings.IS_POSTGRES:
        raise ApplicationError(
            f"{what} needs PostgreSQL (set DATABASE_URL).", code=ErrorCode.VALIDATION_ERROR, status=400
        )


def reserve_ids(table: str, count: int) -> list[int]:
    """``count`` fresh primary keys from ``table``'s id sequence, in increasing order."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``table``; returns how many were written.

    Runs in the caller's transaction. ``table`` and ``columns`` are code constants, never input.
    """
    written = 0
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    raw = connection.cursor().cursor
    with raw.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:  # noqa: S608 (constant names)
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def analyze_tables(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk load (plans at 10^5 rows differ from 10^2)."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 (constant names)
