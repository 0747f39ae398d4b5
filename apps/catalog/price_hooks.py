"""The storefront's price hook: a higher app (promotions) tells the catalog which products are on
sale, and the catalog shows the sale price with the old one struck (``compare_at_price``).

The catalog never imports promotions: promotions registers ``func(*, tenant, products) ->
{product_id: percentage}`` (``products`` is ``{product_id: category_id}``) in its
``AppConfig.ready``. :func:`sale_price` is the one formula, used by the storefront here and by
carts and checkout (through promotions), so the price shown is the price charged.

The hook runs inside the cached producers (listing cards, product detail): cached pages and
entries carry the sale price, and a sale starting or ending bumps the catalog version
(promotions' beat job), which makes them stale at that moment.

Sorting, the price filters and the price facet read the stored ``Product.effective_price_min``
(a generated column from ``price_min`` and ``sale_percentage``). ``sale_percentage`` is written
set-based by :mod:`apps.catalog.sale_prices` from the *targets* a second hook gives
(``register_sale_targets``: ``func(*, tenant, now) -> list[SaleTarget]``), read fresh from the
database, so a sale saved in the same transaction counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from apps.core.money import round_money

SalePercentages = Callable[..., dict[int, Decimal]]
_HOOKS: list[SalePercentages] = []


@dataclass(frozen=True)
class SaleTarget:
    """A sale live at some moment, as the catalog needs it to store sale prices: ``percentage``
    off the products ``product_ids`` and every product of the categories ``category_ids`` *and
    their subcategories* (the catalog resolves the subtrees itself)."""

    percentage: Decimal
    category_ids: frozenset[int] = frozenset()
    product_ids: frozenset[int] = frozenset()


SaleTargets = Callable[..., list[SaleTarget]]
_TARGET_HOOKS: list[SaleTargets] = []


def register_sale_targets(func: SaleTargets) -> None:
    """Register ``func(*, tenant, now) -> list[SaleTarget]``: the sales live at ``now``, read
    from the database (not a cache: it is called inside the transaction that saved a sale)."""
    if func not in _TARGET_HOOKS:
        _TARGET_HOOKS.append(func)


def unregister_sale_targets(func: SaleTargets) -> None:
    """Remove a registered function (tests)."""
    if func in _TARGET_HOOKS:
        _TARGET_HOOKS.remove(func)


def sale_targets(*, tenant, now: datetime) -> list[SaleTarget]:
    """Every registered function's live sale targets for ``tenant`` at ``now``."""
    return [target for func in _TARGET_HOOKS for target in func(tenant=tenant, now=now)]


def register_sale_percentages(func: SalePercentages) -> None:
    """Register ``func(*, tenant, products: {product_id: category_id}) -> {product_id: percent}``."""
    if func not in _HOOKS:
        _HOOKS.append(func)


def unregister_sale_percentages(func: SalePercentages) -> None:
    """Remove a registered function (tests)."""
    if func in _HOOKS:
        _HOOKS.remove(func)


def sale_price(price: Decimal, percentage: Decimal) -> Decimal:
    """``price`` less ``percentage`` %, rounded half-up to the cent (never below 0)."""
    return max(Decimal("0.00"), round_money(Decimal(price) * (Decimal(100) - Decimal(percentage)) / Decimal(100)))


def sale_percentages(*, tenant, products: dict[int, int | None]) -> dict[int, Decimal]:
    """The highest sale percentage of each product that is on sale now (others left out)."""
    found: dict[int, Decimal] = {}
    for func in _HOOKS:
        for product_id, percentage in func(tenant=tenant, products=products).items():
            found[product_id] = max(percentage, found.get(product_id, Decimal(0)))
    return found


def apply_sales_to_cards(tenant, cards: list[dict]) -> None:
    """Listing cards on sale get sale ``price_min``/``price_max`` and the old ones as
    ``compare_at_price_min``/``compare_at_price_max`` (``None`` when not on sale)."""
    products = {card["id"]: card.get("category_id") for card in cards}
    percentages = sale_percentages(tenant=tenant, products=products) if _HOOKS and cards else {}
    for card in cards:
        card["compare_at_price_min"] = card["compare_at_price_max"] = None
        percentage = percentages.get(card["id"])
        if percentage is None or card["price_min"] is None:
            continue
        card["compare_at_price_min"], card["compare_at_price_max"] = card["price_min"], card["price_max"]
        card["price_min"] = str(sale_price(Decimal(card["price_min"]), percentage))
        card["price_max"] = str(sale_price(Decimal(card["price_max"] or card["price_min"]), percentage))


def apply_sales_to_detail(tenant, detail: dict, category_id: int | None) -> None:
    """A product on sale: each variant's ``price`` becomes the sale price and its
    ``compare_at_price`` the higher of the old price and its own compare-at price."""
    if not _HOOKS:
        return
    percentage = sale_percentages(tenant=tenant, products={detail["id"]: category_id}).get(detail["id"])
    if percentage is None:
        return
    for variant in detail["variants"]:
        old = Decimal(variant["price"])
        compare = Decimal(variant["compare_at_price"]) if variant["compare_at_price"] else old
        variant["price"] = str(sale_price(old, percentage))
        variant["compare_at_price"] = str(max(old, compare))
    prices = [Decimal(v["price"]) for v in detail["variants"]]
    if prices:
        detail["price_min"], detail["price_max"] = str(min(prices)), str(max(prices))
