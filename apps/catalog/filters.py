"""Parsing and validating product list filters from a query string (storefront, console, API)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.http import QueryDict

from apps.catalog.validation import ATTR_KEY_RE, MAX_PRICE, SORTS, STATUSES, choose_one_message
from apps.core.errors import Invalid

ATTR_KEY = ATTR_KEY_RE  # the old name
_NOT_NUMBER_PART = re.compile(r"[^0-9,.\-]")


@dataclass(frozen=True)
class ProductFilters:
    """What a product list is narrowed and ordered by. ``status`` is only honoured for staff."""

    q: str = ""
    category: str = ""  # category slug; includes its descendants
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    attributes: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    status: str = ""
    sort: str = ""
    # What the storefront tells the shopper about input it corrected or ignored (not part of the
    # filter set: two spellings of one price are the same filters).
    notices: tuple[str, ...] = field(default_factory=tuple, compare=False)

    def as_params(self) -> dict:
        """A stable, cacheable representation."""
        return {
            "q": self.q,
            "category": self.category,
            "price_min": str(self.price_min) if self.price_min is not None else None,
            "price_max": str(self.price_max) if self.price_max is not None else None,
            "in_stock": self.in_stock,
            "attributes": sorted(self.attributes),
            "status": self.status,
            "sort": self.effective_sort,
        }

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "relevance" or self.q):
            return self.sort
        return "relevance" if self.q else "newest"

    def querystring(self, **overrides) -> str:
        """The filters as a URL query string (for pagination and facet links)."""
        qd = QueryDict(mutable=True)
        values = {
            "q": self.q,
            "category": self.category,
            "price_min": self.price_min,
            "price_max": self.price_max,
            "in_stock": "1" if self.in_stock else "",
            "status": self.status,
            "sort": self.sort,
        }
        values.update(overrides)
        for key, value in values.items():
            if value not in (None, ""):
                qd[key] = str(value)
        for key, value in self.attributes:
            if ("attr_" + key) not in overrides:
                qd.appendlist(f"attr_{key}", value)
        return qd.urlencode()


def read_price_text(text: str) -> str:
    """A price as people type it, as ``Decimal`` text: ``€ 20,50`` -> ``20.50``, ``1.234,5`` ->
    ``1234.5``, ``1,234.50 $`` -> ``1234.50``. Currency signs, codes and spaces are dropped; of a
    comma and a dot the last one is the decimal mark; a lone comma followed by one or two digits
    is a decimal comma, otherwise a thousands separator."""
    digits = _NOT_NUMBER_PART.sub("", text)
    if "," in digits and "." in digits:
        mark = "," if digits.rindex(",") > digits.rindex(".") else "."
        other = "." if mark == "," else ","
        whole, _, fraction = digits.replace(other, "").rpartition(mark)
        return f"{whole}.{fraction}"
    if "," in digits:
        whole, _, fraction = digits.rpartition(",")
        if digits.count(",") == 1 and 1 <= len(fraction) <= 2:
            return f"{whole}.{fraction}"
        return digits.replace(",", "")
    if digits.count(".") > 1:
        return digits.replace(".", "")
    return digits


def _decimal(value: str, name: str, errors: dict, *, lenient: bool = False) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        number = Decimal(read_price_text(text) if lenient else text)
    except InvalidOperation:
        errors[name] = ["Enter a number."]
        return None
    if not number.is_finite() or number < 0 or number > MAX_PRICE:
        errors[name] = ["Enter a price between 0 and 9999999999.99."]
        return None
    return number


PRICE_LABELS = {"price_min": "Price from", "price_max": "Price to"}


def parse_product_filters(data, *, strict: bool = False) -> ProductFilters:
    """Filters from a ``QueryDict`` (or dict). Invalid values are dropped, or, with ``strict``
    (the API), raise ``Invalid`` (400 ``validation_error``) naming each bad parameter.

    Not strict (the pages), prices are read as people type them (:func:`read_price_text`), a
    lowest price above the highest is swapped, and ``notices`` says what was corrected or ignored."""
    errors: dict[str, list[str]] = {}

    def get(key, default=""):
        value = data.get(key, default)
        return value.replace("\x00", "") if isinstance(value, str) else value  # PostgreSQL refuses NUL

    price_min = _decimal(get("price_min", ""), "price_min", errors, lenient=not strict)
    price_max = _decimal(get("price_max", ""), "price_max", errors, lenient=not strict)
    notices = [
        f"{PRICE_LABELS[key]}: “{str(get(key, ''))[:40]}” is not a price, so it was left out."
        for key in ("price_min", "price_max")
        if key in errors
    ]
    if not strict and price_min is not None and price_max is not None and price_min > price_max:
        notices.append(
            f"The lowest price ({price_min}) was above the highest ({price_max}): "
            f"showing prices from {price_max} to {price_min} instead."
        )
        price_min, price_max = price_max, price_min
    sort = get("sort", "") or get("ordering", "") or ""
    sort = sort if strict else sort.strip()  # the API takes the enum's values as written (or empty)
    if sort and sort not in SORTS:
        errors["sort"] = [choose_one_message(sorted(SORTS))]
        sort = ""
    status = get("status", "") or ""
    status = status if strict else status.strip()
    if status and status not in STATUSES:
        errors["status"] = [choose_one_message(STATUSES)]
        status = ""
    attributes = []
    keys = data.keys() if hasattr(data, "keys") else []
    for key in sorted(keys):
        if key.startswith("attr_"):
            name = key[5:]
            values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
            if not ATTR_KEY.match(name):
                errors[key] = ["Attribute names are lower-case letters, digits and underscores."]
                continue
            values = [str(value).replace("\x00", "")[:100] for value in values]
            attributes.extend((name, value) for value in values if value)
    in_stock = str(get("in_stock", "") or "").lower() in ("1", "true", "on", "yes")
    if strict and errors:
        raise Invalid(errors, message="Invalid filter.")
    return ProductFilters(
        q=(get("q", "") or "").strip()[:200],
        category=(get("category", "") or "").strip()[:140],
        price_min=price_min,
        price_max=price_max,
        in_stock=in_stock,
        attributes=tuple(attributes),
        status=status,
        sort=sort,
        notices=tuple(notices),
    )
