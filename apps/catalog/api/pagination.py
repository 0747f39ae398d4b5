"""Cursor (keyset) pagination for the catalog API: ``?limit=`` 1..100 (400 otherwise)."""

from apps.core.pagination import StrictCursorPagination


class CatalogCursorPagination(StrictCursorPagination):
    page_size = 25
    ordering = ("-id",)

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "cursor_ordering", None)
        return tuple(ordering) if ordering else self.ordering
