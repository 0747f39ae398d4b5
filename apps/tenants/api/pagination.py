"""Cursor (keyset) pagination for the tenants API: ``?limit=`` up to 100."""

from rest_framework.pagination import CursorPagination


class TenantsCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = "pk"


class NewestFirstCursorPagination(TenantsCursorPagination):
    ordering = "-pk"
