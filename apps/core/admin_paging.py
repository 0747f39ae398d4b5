"""Admin change lists that stay fast on tables of 10^5–10^6 rows.

``EstimatedCountPaginator`` answers ``count`` for an *unfiltered* list from PostgreSQL's
statistics (``pg_class.reltuples``, kept by autovacuum/ANALYZE) once the table is larger than
``EXACT_COUNT_LIMIT``; filtered lists and small tables are counted exactly. Pair it with
``show_full_result_count = False`` (no second count of the whole table beside a filtered one):
:class:`LargeTableAdminMixin` sets both.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_COUNT_LIMIT = 10_000


def estimated_row_count(model, using: str = "default") -> int | None:
    """The planner's row estimate for ``model``'s table (PostgreSQL), or None elsewhere/unknown."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """A paginator whose count of an unfiltered large table is the planner's estimate."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where and not query.distinct:
            estimate = estimated_row_count(self.object_list.model, self.object_list.db)
            if estimate is not None and estimate > EXACT_COUNT_LIMIT:
                return estimate
        return super().count


class LargeTableAdminMixin:
    """For ``ModelAdmin``s of tables that grow with the platform (users, tenants, members, audit)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
