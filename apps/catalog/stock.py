"""Stock writes for the orders app: row locks in id order and conditional updates.

``Variant.stock`` is what is on hand; ``Variant.allocated`` is what placed orders have promised and
not yet shipped. The database guards both with ``CHECK (0 <= allocated AND allocated <= stock)``;
every update here is also conditional (``WHERE allocated + q <= stock``), so even a caller that
forgot to lock cannot oversell: the update matches no row and :class:`StockConflict` is raised.

Callers lock first (:func:`lock_variants`, always in id order, so two transactions that need the
same variants queue instead of deadlocking), then allocate, deallocate or fulfil inside the same
transaction. Only a variant going out of stock or back in changes what storefront pages show, so
only then are the product summaries refreshed and the catalog cache version bumped.
"""

from __future__ import annotations

from django.db.models import F

from apps.catalog.changes import catalog_changed, refresh_product_summaries
from apps.catalog.models import Variant
from apps.core.errors import Conflict, ErrorCode


class StockConflict(Conflict):
    """A conditional stock update matched no row: the units are not there (409 ``out_of_stock``)."""

    def __init__(self, variant_ids: list[int]):
        super().__init__("Not enough stock.", code=ErrorCode.OUT_OF_STOCK, details={"variant_ids": sorted(variant_ids)})
        self.variant_ids = sorted(variant_ids)


def lock_variants(*, tenant, variant_ids) -> dict[int, Variant]:
    """``SELECT ... FOR UPDATE`` the tenant's variants, in id order, with their product (not locked).

    Must run inside a transaction. Unknown ids (or another tenant's) are simply absent from the
    result. One query.
    """
    rows = (
        Variant.objects.for_tenant(tenant)
        .filter(pk__in=sorted({int(pk) for pk in variant_ids}))
        .select_related("product")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    return {variant.pk: variant for variant in rows}


def allocate_stock(*, tenant, variants: dict[int, Variant], quantities: dict[int, int]) -> None:
    """Promise ``quantities`` (variant id -> units) of the locked ``variants`` to an order.

    One conditional ``UPDATE`` per variant; raises :class:`StockConflict` (and the caller's
    transaction rolls back) if any would exceed the stock.
    """
    failed = []
    for pk in sorted(quantities):
        quantity = quantities[pk]
        matched = (
            Variant.objects.for_tenant(tenant)
            .filter(pk=pk, allocated__lte=F("stock") - quantity)
            .update(allocated=F("allocated") + quantity)
        )
        if not matched:
            failed.append(pk)
    if failed:
        raise StockConflict(failed)
    crossed = []
    for pk, quantity in quantities.items():
        variant = variants[pk]
        before = variant.available
        variant.allocated += quantity
        if before > 0 >= variant.available:
            crossed.append(variant.product_id)
    _stock_status_changed(tenant=tenant, product_ids=crossed)


def deallocate_stock(*, tenant, quantities: dict[int, int]) -> None:
    """Release allocations (a cancelled or expired order). Locks the variants in id order itself.

    Variants deleted since the order was placed are skipped. Never drives ``allocated`` below 0
    (the update is conditional): releasing twice is the caller's bug, refused with :class:`StockConflict`.
    """
    variants = lock_variants(tenant=tenant, variant_ids=quantities)
    failed, crossed = [], []
    for pk in sorted(variants):
        quantity = quantities[pk]
        matched = (
            Variant.objects.for_tenant(tenant)
            .filter(pk=pk, allocated__gte=quantity)
            .update(allocated=F("allocated") - quantity)
        )
        if not matched:
            failed.append(pk)
        elif variants[pk].available <= 0 < variants[pk].available + quantity:
            crossed.append(variants[pk].product_id)
    if failed:
        raise StockConflict(failed)
    _stock_status_changed(tenant=tenant, product_ids=crossed)


def fulfil_stock(*, tenant, quantities: dict[int, int]) -> None:
    """Ship allocated units: ``stock -= q`` and ``allocated -= q`` together (available is unchanged,
    so no cache is touched). Locks the variants in id order; deleted variants are skipped."""
    variants = lock_variants(tenant=tenant, variant_ids=quantities)
    failed = []
    for pk in sorted(variants):
        quantity = quantities[pk]
        matched = (
            Variant.objects.for_tenant(tenant)
            .filter(pk=pk, allocated__gte=quantity, stock__gte=quantity)
            .update(stock=F("stock") - quantity, allocated=F("allocated") - quantity)
        )
        if not matched:
            failed.append(pk)
    if failed:
        raise StockConflict(failed)


def restock_stock(*, tenant, quantities: dict[int, int]) -> None:
    """Put returned units back on hand: ``stock += q`` (allocations untouched). Locks the variants
    in id order; deleted variants are skipped. A variant back in stock refreshes the storefront."""
    variants = lock_variants(tenant=tenant, variant_ids=quantities)
    crossed = []
    for pk in sorted(variants):
        quantity = quantities[pk]
        if quantity <= 0:
            continue
        Variant.objects.for_tenant(tenant).filter(pk=pk).update(stock=F("stock") + quantity)
        if variants[pk].available <= 0 < variants[pk].available + quantity:
            crossed.append(variants[pk].product_id)
    _stock_status_changed(tenant=tenant, product_ids=crossed)


def _stock_status_changed(*, tenant, product_ids: list[int]) -> None:
    """Products whose variants went out of stock or back in: refresh summaries, bump the cache."""
    if not product_ids:
        return

    refresh_product_summaries(tenant=tenant, product_ids=sorted(set(product_ids)))
    catalog_changed(tenant_id=tenant.pk, product_ids=None, reindex=False)
