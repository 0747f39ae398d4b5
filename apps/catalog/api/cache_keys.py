"""Cache keys of the public catalog API, built from the parsed, known query parameters only.

Keying by the raw query string let any client grow the cache without bound (``?x=1``, ``?x=2``
...). :func:`keep_known_params` drops every parameter the endpoint does not read, before the page is
built, so neither the key nor the page's ``next``/``previous`` links carry them; the key is then
made of the *parsed* filters (invalid values are a 400 and never cached), the cursor and the page
size (:func:`public_list_key`).
"""

from __future__ import annotations

from django.http import QueryDict

from apps.catalog.filters import parse_product_filters

PUBLIC_LIST_PARAMS = frozenset(
    {"q", "category", "price_min", "price_max", "in_stock", "sort", "ordering", "cursor", "limit"}
)


def keep_known_params(request) -> None:
    """Remove unknown query parameters from ``request`` (a DRF request) in place."""
    django_request = request._request
    known = QueryDict(mutable=True)
    for key in sorted(django_request.GET):
        if key in PUBLIC_LIST_PARAMS or key.startswith("attr_"):
            known.setlist(key, django_request.GET.getlist(key))
    known._mutable = False
    django_request.GET = known
    django_request.META["QUERY_STRING"] = known.urlencode()


def public_list_key(request, *, page_size: int) -> dict:
    """The cache parameters of a public product list: parsed filters, cursor, page size, base URL."""
    filters = parse_product_filters(request.query_params, strict=True)
    return {
        "filters": filters.as_params(),
        "cursor": request.query_params.get("cursor", "")[:500],
        "limit": page_size,
        "base": request.build_absolute_uri(request.path),
    }
