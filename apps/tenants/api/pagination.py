"""Cursor (keyset) pagination for the tenants API: ``?limit=`` 1..100 (400 otherwise)."""

from apps.core.pagination import StrictCursorPagination


class TenantsCursorPagination(StrictCursorPagination):
    page_size = 50
    ordering = "pk"


class NewestFirstCursorPagination(TenantsCursorPagination):
    ordering = "-pk"
