"""The storefront's active filters as removable chips: one per price range, "in stock" and
attribute value, each linking to the same listing without it, and a "clear all" link."""

from __future__ import annotations

import dataclasses

from apps.catalog.filters import ProductFilters
from apps.core.money import format_money


def _link(base_path: str, filters: ProductFilters, overrides: dict) -> str:
    query = filters.querystring(**overrides)
    return base_path + ("?" + query if query else "")


def price_label(filters: ProductFilters, currency: str) -> str:
    """``€20.00 – €100.00``, ``From €20.00`` or ``Up to €100.00``."""
    low, high = filters.price_min, filters.price_max
    if low is not None and high is not None:
        return f"{format_money(low, currency)} – {format_money(high, currency)}"
    if low is not None:
        return f"From {format_money(low, currency)}"
    return f"Up to {format_money(high, currency)}"


def active_filter_chips(filters: ProductFilters, base_path: str, currency: str, overrides: dict) -> dict:
    """``{"chips": [{"label", "url"}], "clear_url"}`` for ``filters`` on the listing at
    ``base_path`` (``overrides`` are the listing's own fixed parameters, e.g. ``category=""``)."""
    chips = []
    if filters.price_min is not None or filters.price_max is not None:
        without = dataclasses.replace(filters, price_min=None, price_max=None)
        chips.append({"label": price_label(filters, currency), "url": _link(base_path, without, overrides)})
    if filters.in_stock:
        without = dataclasses.replace(filters, in_stock=False)
        chips.append({"label": "In stock", "url": _link(base_path, without, overrides)})
    for pair in dict.fromkeys(filters.attributes):
        key, value = pair
        without = dataclasses.replace(filters, attributes=tuple(a for a in filters.attributes if a != pair))
        label = f"{key.replace('_', ' ').capitalize()}: {value}"
        chips.append({"label": label, "url": _link(base_path, without, overrides)})
    cleared = dataclasses.replace(filters, price_min=None, price_max=None, in_stock=False, attributes=())
    return {"chips": chips, "clear_url": _link(base_path, cleared, overrides)}
