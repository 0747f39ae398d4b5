"""Catalog lookups other apps use (orders, promotions, analytics, demo): references to product
ids, product labels, a variant for sale. ``apps.catalog.selectors`` re-exports them."""

from __future__ import annotations

import uuid

from django.db.models import F

from apps.catalog.models import Product, ProductStatus, Variant


def resolve_product_refs(*, tenant, refs: list[str]) -> dict[str, int]:
    """Map references to product ids: a product ``public_id`` (UUID), a product pk (digits) or a
    variant SKU. Unknown references are left out. At most three queries."""
    uuids, pks, skus = {}, {}, []
    for ref in {str(r).strip() for r in refs if r is not None and str(r).strip()}:
        try:
            uuids[str(uuid.UUID(ref))] = ref
            continue
        except ValueError:
            pass
        if ref.isdecimal() and len(ref) < 19:
            pks[int(ref)] = ref
        skus.append(ref)
    result: dict[str, int] = {}
    products = Product.objects.for_tenant(tenant)
    if uuids:
        for public_id, pk in products.filter(public_id__in=list(uuids)).values_list("public_id", "id"):
            result[uuids[str(public_id)]] = pk
    if pks:
        for pk in products.filter(pk__in=list(pks)).values_list("id", flat=True):
            result[pks[pk]] = pk
    remaining = [s for s in skus if s not in result]
    if remaining:
        for sku, product_id in (
            Variant.objects.for_tenant(tenant).filter(sku__in=remaining).values_list("sku", "product_id")
        ):
            result[sku] = product_id
    return result


def list_tenants_with_sale_prices() -> list[int]:
    """Ids of the tenants that have products stored as on sale (``Product.sale_percentage``), for
    promotions' reconciliation job. Deliberately across tenants."""
    rows = Product.objects.all_tenants().filter(sale_percentage__isnull=False).order_by("tenant_id")
    return list(rows.values_list("tenant_id", flat=True).distinct())


def get_product_labels(*, tenant, product_ids) -> dict[int, str]:
    """Product names by id for the tenant's products among ``product_ids``."""
    ids = [int(i) for i in product_ids if i is not None]
    if not ids:
        return {}
    return dict(Product.objects.for_tenant(tenant).filter(pk__in=ids).values_list("id", "name"))


def get_variant_for_sale(*, tenant, variant_id) -> Variant | None:
    """A variant of a *published* product of the tenant, with its product; None for an unknown
    id, another tenant's variant or a draft/archived product. One query."""
    try:
        pk = int(variant_id)
    except (TypeError, ValueError):
        return None
    return (
        Variant.objects.for_tenant(tenant)
        .select_related("product")
        .filter(pk=pk, product__status=ProductStatus.PUBLISHED)
        .first()
    )


def list_sellable_variant_ids(*, tenant, limit: int = 10, min_available: int = 1) -> list[int]:
    """Ids of variants of published products with at least ``min_available`` units for sale
    (the demo's past orders pick from these), lowest id first."""
    return list(
        Variant.objects.for_tenant(tenant)
        .filter(product__status=ProductStatus.PUBLISHED, stock__gte=F("allocated") + min_available)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
