"""Writes to a tenant's selling configuration: settings, shipping zones and methods, tax rates.

Used by the console settings pages, the demo and tests. Validation errors are :class:`Invalid`
with per-field messages; nothing is written on error.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django_countries import countries

from apps.core.errors import Invalid, NotFound
from apps.orders.models import SellingSettings, ShippingMethod, ShippingZone, TaxRate
from apps.orders.selectors import get_selling_settings

SETTINGS_LIMITS = {
    "hold_minutes": (1, 120),
    "unpaid_order_expiry_minutes": (5, 7 * 24 * 60),
    "max_line_quantity": (1, 10_000),
    "max_cart_lines": (1, 1_000),
}
MAX_MONEY = Decimal("9999999999.99")


def _parse_money(value, field: str, errors: dict, *, required: bool = True) -> Decimal | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            errors[field] = ["This field is required."]
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        errors[field] = ["Enter an amount, e.g. 4.90."]
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY or amount.as_tuple().exponent < -2:
        errors[field] = ["Enter an amount of zero or more with at most two decimals."]
        return None
    return amount


def _parse_whole(value, field: str, errors: dict, low: int, high: int, *, required: bool = True) -> int | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            errors[field] = ["This field is required."]
        return None
    if not text.isdecimal() or not low <= int(text) <= high:
        errors[field] = [f"Enter a whole number from {low} to {high}."]
        return None
    return int(text)


def _parse_countries(value, errors: dict) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value or [])
    codes = [str(item).strip().upper() for item in items if str(item).strip()]
    unknown = [code for code in codes if code not in dict(countries)]
    if unknown:
        errors["countries"] = [f"Unknown country codes: {', '.join(unknown[:10])}."]
    if not codes:
        errors["countries"] = ["Choose at least one country."]
    return sorted(set(codes))


def update_selling_settings(*, tenant, data: dict) -> SellingSettings:
    """Change any of ``prices_include_tax``, ``hold_minutes``, ``unpaid_order_expiry_minutes``,
    ``max_line_quantity``, ``max_cart_lines``."""
    row = get_selling_settings(tenant=tenant)
    errors: dict = {}
    for field, (low, high) in SETTINGS_LIMITS.items():
        if field in data:
            value = _parse_whole(data[field], field, errors, low, high)
            if value is not None:
                setattr(row, field, value)
    if "prices_include_tax" in data:
        row.prices_include_tax = data["prices_include_tax"] in (True, "true", "on", "1", 1)
    if errors:
        raise Invalid(errors)
    row.save()
    return row


def create_shipping_zone(*, tenant, name: str, countries_value) -> ShippingZone:
    """A zone named ``name`` covering ``countries_value`` (ISO codes, list or comma-separated)."""
    errors: dict = {}
    name = (name or "").strip()
    if not name or len(name) > 100:
        errors["name"] = ["Enter a name of up to 100 characters."]
    codes = _parse_countries(countries_value, errors)
    if errors:
        raise Invalid(errors)
    try:
        with transaction.atomic():
            return ShippingZone.objects.create(tenant=tenant, name=name, countries=codes)
    except IntegrityError:
        raise Invalid({"name": ["A zone with this name exists."]}) from None


def delete_shipping_zone(*, tenant, zone_id: int) -> None:
    """Delete a zone and its methods (carts that chose one of them choose again)."""
    deleted, _ = ShippingZone.objects.for_tenant(tenant).filter(pk=zone_id).delete()
    if not deleted:
        raise NotFound("No such shipping zone.")


def create_shipping_method(*, tenant, zone_id: int, data: dict) -> ShippingMethod:
    """A method in the zone: ``name``, ``price``, optional ``free_over``, ``min_weight_grams``,
    ``max_weight_grams``, ``delivery_estimate``."""
    zone = ShippingZone.objects.for_tenant(tenant).filter(pk=zone_id).first()
    if zone is None:
        raise NotFound("No such shipping zone.")
    errors: dict = {}
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        errors["name"] = ["Enter a name of up to 100 characters."]
    price = _parse_money(data.get("price"), "price", errors)
    free_over = _parse_money(data.get("free_over"), "free_over", errors, required=False)
    low = _parse_whole(data.get("min_weight_grams"), "min_weight_grams", errors, 0, 10**7, required=False)
    high = _parse_whole(data.get("max_weight_grams"), "max_weight_grams", errors, 0, 10**7, required=False)
    if low is not None and high is not None and low > high:
        errors["max_weight_grams"] = ["Must be at least the minimum weight."]
    estimate = str(data.get("delivery_estimate") or "").strip()
    if len(estimate) > 100:
        errors["delivery_estimate"] = ["At most 100 characters."]
    if errors:
        raise Invalid(errors)
    return ShippingMethod.objects.create(
        tenant=tenant,
        zone=zone,
        name=name,
        price=price,
        free_over=free_over,
        min_weight_grams=low,
        max_weight_grams=high,
        delivery_estimate=estimate,
    )


def delete_shipping_method(*, tenant, method_id: int) -> None:
    """Delete a shipping method."""
    deleted, _ = ShippingMethod.objects.for_tenant(tenant).filter(pk=method_id).delete()
    if not deleted:
        raise NotFound("No such shipping method.")


def set_tax_rate(*, tenant, country: str, rate, name: str = "VAT") -> TaxRate:
    """Set the rate for ``country`` (ISO code; empty for the default). ``rate`` is a fraction
    (``0.20``) or a percentage (``20``)."""
    errors: dict = {}
    country = (country or "").strip().upper()
    if country and country not in dict(countries):
        errors["country"] = ["Choose a country from the list, or none for the default rate."]
    try:
        value = Decimal(str(rate).strip().rstrip("%"))
        if not value.is_finite():
            raise InvalidOperation
        if value >= 1:
            value = value / 100
        if not 0 <= value < 1 or value.as_tuple().exponent < -4:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["rate"] = ["Enter a rate such as 20 (per cent) or 0.2, with at most 4 decimals as a fraction."]
    if errors:
        raise Invalid(errors)
    row, _ = TaxRate.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, country=country, defaults={"rate": value, "name": (name or "VAT")[:60]}
    )
    return row


def delete_tax_rate(*, tenant, rate_id: int) -> None:
    """Delete a tax rate."""
    deleted, _ = TaxRate.objects.for_tenant(tenant).filter(pk=rate_id).delete()
    if not deleted:
        raise NotFound("No such tax rate.")
