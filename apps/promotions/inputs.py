"""Cleaning of voucher and sale input (console forms and the API send the same dict): every
problem is collected per field and raised once as :class:`Invalid`, so nothing is written."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.catalog import selectors as catalog_selectors
from apps.catalog import services as catalog_services
from apps.core.errors import Invalid
from apps.promotions.models import VoucherKind

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$")
MAX_IDS = 500


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def parse_moment(value, field: str, errors: dict, *, tenant, required: bool = False) -> datetime | None:
    """An ISO 8601 date-time; without an offset it is read in the shop's time zone."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            _add(errors, field, "This field is required.")
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        moment = parse_datetime(str(value).strip()[:40]) if isinstance(value, str) else None
        if moment is None:
            _add(errors, field, "Enter a date and time, e.g. 2026-12-24T09:00.")
            return None
    if timezone.is_naive(moment):
        try:
            zone = zoneinfo.ZoneInfo(tenant.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        moment = moment.replace(tzinfo=zone)
    return moment


def parse_bool(value) -> bool:
    """A checkbox or JSON boolean."""
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "true", "on", "yes"}


def parse_count(value, field: str, errors: dict) -> int | None:
    """An optional whole number from 1 to 1,000,000,000."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or len(text) > 10 or not 1 <= int(text) <= 1_000_000_000:
        _add(errors, field, "Enter a whole number from 1 to 1000000000, or leave it empty for no limit.")
        return None
    return int(text)


def parse_percentage(value, field: str, errors: dict, *, allow_100: bool) -> Decimal | None:
    """A percentage above 0 and up to 100 (below 100 for a sale)."""
    amount = catalog_services.parse_price(value, field, errors)
    if amount is None:
        return None
    if amount <= 0 or amount > 100 or (amount == 100 and not allow_100):
        _add(errors, field, "Enter a percentage above 0 and " + ("up to 100." if allow_100 else "below 100."))
        return None
    return amount


def parse_product_refs(*, tenant, value, field: str, errors: dict) -> list[int]:
    """Product ids, public ids or SKUs (a list, or text separated by commas or spaces) of the shop."""
    if value in (None, ""):
        return []
    refs = value if isinstance(value, list) else re.split(r"[\s,]+", str(value))
    refs = [str(ref).strip() for ref in refs if str(ref).strip()]
    if len(refs) > MAX_IDS:
        _add(errors, field, f"At most {MAX_IDS} products.")
        return []
    found = catalog_selectors.resolve_product_refs(tenant=tenant, refs=refs)
    unknown = [ref for ref in refs if ref not in found]
    if unknown:
        _add(errors, field, f"Not products of this shop: {', '.join(unknown[:5])[:200]}.")
    return sorted(set(found.values()))


def parse_category_ids(*, tenant, value, field: str, errors: dict) -> list[int]:
    """Ids of the shop's categories (a list of ids, or one id)."""
    if value in (None, "", []):
        return []
    values = value if isinstance(value, list) else [value]
    known = {node["id"] for node in catalog_selectors.get_category_tree(tenant=tenant)}
    ids = []
    for item in values[:MAX_IDS]:
        text = str(item).strip()
        if isinstance(item, bool) or not text.isdecimal() or int(text) not in known:
            _add(errors, field, "Choose categories of this shop.")
            return []
        ids.append(int(text))
    return sorted(set(ids))


def clean_voucher_data(*, tenant, data: dict) -> dict:
    """Every voucher field from ``data`` (see :class:`apps.promotions.models.Voucher`)."""
    if not isinstance(data, dict):
        raise Invalid({"non_field_errors": ["Send a JSON object."]})
    errors: dict = {}
    code = str(data.get("code") or "").strip()
    if not CODE_RE.match(code):
        _add(errors, "code", "3 to 40 letters, digits, - or _, starting with a letter or digit.")
    kind = str(data.get("kind") or "")
    if kind not in VoucherKind.values:
        _add(errors, "kind", f"Choose one of: {', '.join(VoucherKind.values)}.")
    value = Decimal("0.00")
    if kind == VoucherKind.PERCENTAGE:
        value = parse_percentage(data.get("value"), "value", errors, allow_100=True) or value
    elif kind == VoucherKind.FIXED:
        value = catalog_services.parse_price(data.get("value"), "value", errors) or value
        if "value" not in errors and value <= 0:
            _add(errors, "value", "Enter an amount above 0.")
    cleaned = {
        "code": code,
        "description": str(data.get("description") or "").strip()[:200],
        "kind": kind,
        "value": value,
        "min_subtotal": catalog_services.parse_price(data.get("min_subtotal"), "min_subtotal", errors, required=False),
        "starts_at": parse_moment(data.get("starts_at"), "starts_at", errors, tenant=tenant),
        "ends_at": parse_moment(data.get("ends_at"), "ends_at", errors, tenant=tenant),
        "usage_limit": parse_count(data.get("usage_limit"), "usage_limit", errors),
        "once_per_customer": parse_bool(data.get("once_per_customer")),
        "is_active": parse_bool(data.get("is_active", True)),
        "product_ids": parse_product_refs(tenant=tenant, value=data.get("products"), field="products", errors=errors),
        "category_ids": parse_category_ids(
            tenant=tenant, value=data.get("categories"), field="categories", errors=errors
        ),
    }
    if cleaned["starts_at"] and cleaned["ends_at"] and cleaned["ends_at"] <= cleaned["starts_at"]:
        _add(errors, "ends_at", "The end must be after the start.")
    if errors:
        raise Invalid(errors)
    return cleaned


def clean_sale_data(*, tenant, data: dict) -> dict:
    """Every sale field from ``data``: a category or a list of products, not both, not neither."""
    if not isinstance(data, dict):
        raise Invalid({"non_field_errors": ["Send a JSON object."]})
    errors: dict = {}
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        _add(errors, "name", "Enter a name of at most 100 characters.")
    categories = parse_category_ids(tenant=tenant, value=data.get("category"), field="category", errors=errors)
    cleaned = {
        "name": name[:100],
        "percentage": parse_percentage(data.get("percentage"), "percentage", errors, allow_100=False),
        "category_id": categories[0] if categories else None,
        "product_ids": parse_product_refs(tenant=tenant, value=data.get("products"), field="products", errors=errors),
        "starts_at": parse_moment(data.get("starts_at"), "starts_at", errors, tenant=tenant, required=True),
        "ends_at": parse_moment(data.get("ends_at"), "ends_at", errors, tenant=tenant, required=True),
        "is_active": parse_bool(data.get("is_active", True)),
    }
    both_or_neither = bool(cleaned["category_id"]) == bool(cleaned["product_ids"])
    if "category" not in errors and "products" not in errors and both_or_neither:
        _add(errors, "products", "Choose either a category or a list of products.")
    if cleaned["starts_at"] and cleaned["ends_at"] and cleaned["ends_at"] <= cleaned["starts_at"]:
        _add(errors, "ends_at", "The end must be after the start.")
    if errors:
        raise Invalid(errors)
    return cleaned
