"""Cursor (keyset) pagination with a strict ``?limit=``: a whole number from 1 to 100, else 400.

Every API list pages this way (``docs/api.md``); apps subclass :class:`StrictCursorPagination` and set
``page_size`` and ``ordering``. A bad limit is refused rather than silently replaced, so what the
schema says (``minimum: 1``, ``maximum: 100``) is what the API enforces.
"""

from __future__ import annotations

from rest_framework.pagination import CursorPagination

from apps.core.errors import Invalid

LIMIT_MESSAGE = "Enter a whole number from 1 to 100."


class StrictCursorPagination(CursorPagination):
    page_size = 25
    page_size_query_param = "limit"
    max_page_size = 100

    def get_page_size(self, request):
        """The requested page size; ``Invalid`` (400) unless it is a whole number from 1 to 100."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdecimal() or not 1 <= int(raw) <= self.max_page_size:
            raise Invalid({"limit": [LIMIT_MESSAGE]}, message="limit must be a whole number from 1 to 100.")
        return int(raw)

    def get_schema_operation_parameters(self, view):
        """``cursor`` and ``limit`` as OpenAPI parameters, with the limit's bounds."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"Page size, 1 to {self.max_page_size} (default {self.page_size})"
        return parameters
