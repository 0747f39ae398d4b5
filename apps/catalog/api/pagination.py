"""Cursor (keyset) pagination for the catalog API: ``?limit=`` 1..100 (400 otherwise)."""

from rest_framework.pagination import CursorPagination

from apps.core.errors import ApplicationError


class CatalogCursorPagination(CursorPagination):
    page_size = 25
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = ("-id",)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ApplicationError(
                "limit must be a whole number from 1 to 100.",
                code="validation_error",
                details={"limit": ["Enter a whole number from 1 to 100."]},
            )
        return int(raw)

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "cursor_ordering", None)
        return tuple(ordering) if ordering else self.ordering
