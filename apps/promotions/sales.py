"""Automatic sales: which products are on sale now, their prices, and the beat job that bumps the
catalog version at the moment a sale starts or ends (so cached storefront pages change then).

The rules of a tenant's current and coming sales are cached under the catalog version (one query
on a miss, none on a hit) and filtered by the clock on every use, so carts and checkout switch
price at the exact start and end; the cached *pages* switch when the beat job (every minute,
``promotions.announce_sales``) bumps the version.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.catalog import cache as catalog_cache
from apps.catalog import selectors as catalog_selectors
from apps.catalog import services as catalog_services
from apps.catalog.price_hooks import SaleTarget, sale_price
from apps.promotions.models import Sale

logger = logging.getLogger("bazaar.promotions")


@dataclass(frozen=True)
class SaleRule:
    """A sale as plain data (cacheable): its percentage, period and targets."""

    id: int
    percentage: Decimal
    starts_at: datetime
    ends_at: datetime
    category_ids: frozenset[int]  # the sale's category and its subcategories
    product_ids: frozenset[int]

    def is_live(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def covers(self, product_id: int, category_id: int | None) -> bool:
        return product_id in self.product_ids or (category_id is not None and category_id in self.category_ids)


def _load_rules(tenant) -> list[SaleRule]:
    now = timezone.now()
    rows = list(
        Sale.objects.for_tenant(tenant)
        .filter(is_active=True, ends_at__gt=now)
        .values("id", "percentage", "starts_at", "ends_at", "category_id", "products__id")
        .order_by("id")
    )
    if not rows:
        return []
    tree = catalog_selectors.get_category_tree(tenant=tenant) if any(r["category_id"] for r in rows) else []
    by_id: dict[int, dict] = {}
    for row in rows:
        rule = by_id.setdefault(row["id"], {**row, "products": set()})
        if row["products__id"] is not None:
            rule["products"].add(row["products__id"])
    rules = []
    for rule in by_id.values():
        categories: frozenset[int] = frozenset()
        if rule["category_id"]:
            node = next((n for n in tree if n["id"] == rule["category_id"]), None)
            categories = frozenset(catalog_selectors.descendant_ids(tree, node) if node else [rule["category_id"]])
        rules.append(
            SaleRule(
                id=rule["id"],
                percentage=rule["percentage"],
                starts_at=rule["starts_at"],
                ends_at=rule["ends_at"],
                category_ids=categories,
                product_ids=frozenset(rule["products"]),
            )
        )
    return rules


def list_sale_rules(*, tenant) -> list[SaleRule]:
    """The tenant's active sales that have not ended (cached under the catalog version)."""
    return catalog_cache.cached(
        tenant.pk, "promotions-sales", None, catalog_cache.TTL_LISTING, lambda: _load_rules(tenant)
    )


def sale_percentages_for_products(*, tenant, products: dict[int, int | None], now=None) -> dict[int, Decimal]:
    """``{product_id: percentage}`` of the products on sale at ``now`` (the best sale wins).

    Registered into ``apps.catalog.price_hooks`` (storefront display) and used by
    :func:`sale_prices_for_variants` (carts and checkout): the same rules for both.
    """
    now = now or timezone.now()
    live = [rule for rule in list_sale_rules(tenant=tenant) if rule.is_live(now)]
    found: dict[int, Decimal] = {}
    for product_id, category_id in products.items():
        best = max((r.percentage for r in live if r.covers(product_id, category_id)), default=None)
        if best is not None:
            found[product_id] = best
    return found


def list_live_sale_targets(*, tenant, now: datetime) -> list[SaleTarget]:
    """The tenant's sales live at ``now`` as ``price_hooks.SaleTarget`` (percentage, the sale's
    category, its products), read from the database in one query (no cache: the catalog calls
    this inside the transaction that saved a sale). Registered into ``apps.catalog.price_hooks``;
    the catalog stores each product's best percentage for sorting and price filters."""
    rows = (
        Sale.objects.for_tenant(tenant)
        .filter(is_active=True, starts_at__lte=now, ends_at__gt=now)
        .values_list("id", "percentage", "category_id", "products__id")
        .order_by("id")
    )
    by_id: dict[int, tuple[Decimal, set[int], set[int]]] = {}
    for sale_id, percentage, category_id, product_id in rows:
        _, categories, products = by_id.setdefault(sale_id, (percentage, set(), set()))
        if category_id is not None:
            categories.add(category_id)
        if product_id is not None:
            products.add(product_id)
    return [
        SaleTarget(percentage=percentage, category_ids=frozenset(categories), product_ids=frozenset(products))
        for percentage, categories, products in by_id.values()
    ]


def sale_prices_for_variants(*, tenant, variants, now=None) -> dict[int, Decimal]:
    """The price a shopper pays now for each variant (loaded with its product): the sale price
    when its product is on sale, else its catalog price."""
    variants = list(variants)
    percentages = sale_percentages_for_products(
        tenant=tenant, products={v.product_id: v.product.category_id for v in variants}, now=now
    )
    prices = {}
    for variant in variants:
        percentage = percentages.get(variant.product_id)
        prices[variant.pk] = variant.price if percentage is None else sale_price(variant.price, percentage)
    return prices


def announce_sale_changes(*, now=None) -> int:
    """Bump the catalog version of every tenant whose sale started or ended since the last run
    (beat, every minute), and store the products' new sale prices (``catalog.services.
    refresh_sale_percentages`` at ``now``: what sorting and price filters use). Each start and
    end is announced once (a conditional update claims it), in one transaction per tenant with
    the refresh, so a failed refresh leaves the claim for the next run. A sale that was created
    already running or ended is announced by the service that saved it. Returns the number of
    starts and ends announced."""
    now = now or timezone.now()
    announced = 0
    due = Sale.objects.all_tenants().filter(
        Q(start_announced=False, starts_at__lte=now) | Q(end_announced=False, ends_at__lte=now)
    )
    by_tenant: dict[int, list[Sale]] = {}
    for sale in due.only("id", "tenant_id", "starts_at", "ends_at", "start_announced", "end_announced"):
        by_tenant.setdefault(sale.tenant_id, []).append(sale)
    for tenant_id, sales in by_tenant.items():
        with transaction.atomic():
            claimed = sum(_claim(sale, now) for sale in sales)
            if claimed:
                catalog_services.refresh_sale_percentages(tenant=tenant_id, now=now)
                catalog_services.catalog_changed(tenant_id=tenant_id, reindex=False)
                announced += claimed
    if announced:
        logger.info("sale changes announced", extra={"count": announced})
    return announced


def reconcile_sale_prices(*, now=None) -> int:
    """Store the sale prices of every shop that has a live sale or products stored as on sale
    again (beat, every 15 minutes): a safety net for what the services and the announcements
    cannot see (a product created while a sale was being saved, rows written outside the
    services, rows from before catalog migration 0007). Writes only rows whose sale changed and
    bumps the catalog version of the shops it changed. Returns the number of rows written."""
    now = now or timezone.now()
    live = Sale.objects.all_tenants().filter(is_active=True, starts_at__lte=now, ends_at__gt=now)
    tenant_ids = set(live.values_list("tenant_id", flat=True).distinct())
    tenant_ids |= set(catalog_selectors.list_tenants_with_sale_prices())
    written = 0
    for tenant_id in sorted(tenant_ids):
        with transaction.atomic():
            changed = catalog_services.refresh_sale_percentages(tenant=tenant_id, now=now)
            if changed:
                catalog_services.catalog_changed(tenant_id=tenant_id, reindex=False)
                written += changed
    if written:
        logger.warning("sale prices reconciled", extra={"count": written})
    return written


def _claim(sale: Sale, now: datetime) -> int:
    """Claim the start and/or end of ``sale`` that are due at ``now`` (0, 1 or 2 claimed)."""
    claimed = 0
    rows = Sale.objects.all_tenants().filter(pk=sale.pk)
    if not sale.start_announced and sale.starts_at <= now:
        claimed += rows.filter(start_announced=False).update(start_announced=True)
    if not sale.end_announced and sale.ends_at <= now:
        claimed += rows.filter(end_announced=False).update(end_announced=True)
    return claimed
