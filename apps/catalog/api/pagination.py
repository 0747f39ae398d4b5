"""Cursor (keyset) pagination for the catalog API: ``?limit=`` 1..100 (400 otherwise)."""

from apps.catalog.validation import ORDERINGS
from apps.core.pagination import StrictCursorPagination


class CatalogCursorPagination(StrictCursorPagination):
    """Product lists: the view sets ``ordering`` to the request's sort
    (``apps.catalog.validation.ORDERINGS``) before paginating."""

    page_size = 25
    ordering = ORDERINGS["newest"]
