"""Attribute facets that allow several values: OR within one attribute, AND across attributes
(``colour=red`` or ``colour=blue``, and ``size=M``), with counts that stay right.

A selected attribute's own values are counted as if it were not filtered (the usual
"disjunctive" facet): with ``colour=red`` chosen, ``blue (3)`` still says how many products
ticking blue would add. That is one more small query per attribute in use, on top of the facet
statement that counts everything else."""

from __future__ import annotations

import dataclasses
from itertools import groupby

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from apps.catalog.filters import ProductFilters

MAX_VALUES = 30  # per attribute; the page shows 8 and the rest behind "More"


def selected_values(filters: ProductFilters) -> dict[str, list[str]]:
    """The chosen values per attribute key, in the order given."""
    chosen: dict[str, list[str]] = {}
    for key, value in filters.attributes:
        values = chosen.setdefault(key, [])
        if value not in values:
            values.append(value)
    return chosen


def apply_attribute_filters(queryset: QuerySet, filters: ProductFilters) -> QuerySet:
    """Narrow products to those having, for every chosen attribute, one of its chosen values."""
    for key, values in selected_values(filters).items():
        condition = Q()
        for value in values:
            if settings.IS_POSTGRES:
                condition |= Q(attributes__contains={key: value})  # GIN-indexed containment
            else:
                condition |= Q(**{f"attributes__{key}": value})
        queryset = queryset.filter(condition)
    return queryset


def without_attribute(filters: ProductFilters, key: str) -> ProductFilters:
    """``filters`` with no value chosen for ``key``."""
    return dataclasses.replace(filters, attributes=tuple(a for a in filters.attributes if a[0] != key))


def count_attribute_values(base: QuerySet, key: str) -> list[tuple[str, str, int]]:
    """(key, value, count) rows of one attribute over ``base`` (products), most common first."""
    if base.query.is_empty():
        return []
    sql, params = base.order_by().values("attributes").query.sql_with_params()
    each = "jsonb_each_text" if settings.IS_POSTGRES else "json_each"
    query = (
        f"SELECT a.value, COUNT(*) FROM ({sql}) s, {each}(s.attributes) a "  # noqa: S608 (compiled ORM SQL)
        f"WHERE a.key = %s GROUP BY a.value ORDER BY COUNT(*) DESC, a.value LIMIT {MAX_VALUES}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, key])
        return [(key, str(value), count) for value, count in cursor.fetchall()]


def merge_selected(rows: list[tuple[str, str, int]], filters: ProductFilters, recount) -> list[dict]:
    """Group facet ``rows`` by key and mark chosen values; the values of a chosen key come from
    ``recount(key)`` (counted without that key's own filter), and a chosen value always shows."""
    chosen = selected_values(filters)
    grouped: dict[str, list[tuple[str, str, int]]] = {
        key: list(items) for key, items in groupby(sorted(rows, key=lambda r: r[0]), key=lambda r: r[0])
    }
    for key in chosen:
        grouped[key] = recount(key)
    facets = []
    for key, items in grouped.items():
        ranked = sorted(items, key=lambda r: (-r[2], r[1]))[:MAX_VALUES]
        values = [
            {"value": value, "count": count, "selected": value in chosen.get(key, [])} for _, value, count in ranked
        ]
        for value in chosen.get(key, []):
            if not any(v["value"] == value for v in values):
                values.append({"value": value, "count": 0, "selected": True})
        facets.append({"key": key, "values": values, "total": sum(v["count"] for v in values)})
    return facets


def top_attribute_facets(facets: list[dict], filters: ProductFilters, limit_keys: int = 6) -> list[dict]:
    """The ``limit_keys`` attributes with most products (chosen ones always), sorted by key."""
    chosen = selected_values(filters)
    ranked = sorted(facets, key=lambda f: (f["key"] not in chosen, -f["total"], f["key"]))[:limit_keys]
    return sorted(ranked, key=lambda f: f["key"])
