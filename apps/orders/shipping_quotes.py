"""Reads of a shop's selling settings, tax rates and shipping: which methods reach a country and
what each costs for a cart (its subtotal and weight). ``apps.orders.selectors`` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from apps.orders.models import SellingSettings, ShippingMethod, ShippingZone, TaxRate


def get_selling_settings(*, tenant) -> SellingSettings:
    """The tenant's selling settings (an unsaved row with the defaults if never changed)."""
    return SellingSettings.objects.for_tenant(tenant).first() or SellingSettings(tenant=tenant)


def get_tax_rate(*, tenant, country: str) -> Decimal:
    """The rate for ``country`` (ISO code), else the tenant's default (empty country), else 0."""
    rates = {r.country.code or "": r.rate for r in TaxRate.objects.for_tenant(tenant).filter(country__in=[country, ""])}
    return rates.get(country or "", rates.get("", Decimal("0")))


def list_tax_rates(*, tenant) -> QuerySet:
    """The shop's tax rates by country (the default rate, country empty, first)."""
    return TaxRate.objects.for_tenant(tenant).order_by("country")


def list_shipping_zones(*, tenant) -> QuerySet:
    """The shop's shipping zones by name, with their methods."""
    return ShippingZone.objects.for_tenant(tenant).prefetch_related("methods").order_by("name", "id")


@dataclass(frozen=True)
class ShippingQuote:
    """A method offered for an address and cart, with its price for that cart."""

    method_id: int
    name: str
    price: Decimal
    delivery_estimate: str
    zone: str


def quote_method(method: ShippingMethod, *, subtotal: Decimal, weight_grams: int) -> ShippingQuote | None:
    """The price of ``method`` for a cart, or None if the cart's weight is outside its band."""
    if not method.is_active:
        return None
    if method.min_weight_grams is not None and weight_grams < method.min_weight_grams:
        return None
    if method.max_weight_grams is not None and weight_grams > method.max_weight_grams:
        return None
    price = method.price
    if method.free_over is not None and subtotal >= method.free_over:
        price = Decimal("0.00")
    return ShippingQuote(
        method_id=method.pk,
        name=method.name,
        price=price,
        delivery_estimate=method.delivery_estimate,
        zone=method.zone.name,
    )


def list_shipping_quotes(*, tenant, country: str, subtotal: Decimal, weight_grams: int) -> list[ShippingQuote]:
    """The methods of the zones covering ``country``, priced for the cart; [] if no zone covers it."""
    methods = ShippingMethod.objects.for_tenant(tenant).filter(is_active=True).select_related("zone")
    quotes = []
    for method in methods:
        if country and country in [c.code for c in method.zone.countries]:
            quote = quote_method(method, subtotal=subtotal, weight_grams=weight_grams)
            if quote is not None:
                quotes.append(quote)
    return quotes


def is_country_shipped(*, tenant, country: str) -> bool:
    """Whether any of the tenant's zones covers ``country``."""
    return any(country in [c.code for c in zone.countries] for zone in ShippingZone.objects.for_tenant(tenant))
