"""What follows a catalog write: recomputing the products' price/stock summaries, and (after the
commit) the cache version bump, the facet snapshots dropped and the search refresh queued.

Its own module so that the services, the stock writes, images and the importer share it without
importing one another; ``apps.catalog.services`` re-exports both functions.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from apps.catalog import cache as catalog_cache
from apps.catalog import facet_snapshots
from apps.catalog.models import Product, Variant
from apps.core.outbox import enqueue_task


def catalog_changed(*, tenant_id: int, product_ids: list[int] | None = None, reindex: bool = True) -> None:
    """Schedule what follows a committed catalog write: a cache version bump and, if ``reindex``,
    the search-vector refresh of ``product_ids`` (all when None) in the background."""

    def effects():
        facet_snapshots.drop_snapshots(tenant_id=tenant_id)
        catalog_cache.bump_catalog_version(tenant_id)

    transaction.on_commit(effects)
    if reindex:
        enqueue_task("catalog.refresh_search", tenant_id=tenant_id, product_ids=product_ids)


def refresh_product_summaries(*, tenant, product_ids: list[int] | None = None) -> int:
    """Recompute ``price_min``/``price_max``/``stock_total`` from the variants, set-based.

    ``stock_total`` counts the units for sale: stock less what is allocated to placed orders."""
    variants = Variant.objects.all_tenants().filter(product_id=OuterRef("pk")).order_by().values("product_id")
    qs = Product.objects.for_tenant(tenant)
    if product_ids is not None:
        qs = qs.filter(pk__in=product_ids)
    return qs.update(
        price_min=Subquery(variants.annotate(v=Min("price")).values("v")[:1]),
        price_max=Subquery(variants.annotate(v=Max("price")).values("v")[:1]),
        stock_total=Coalesce(Subquery(variants.annotate(v=Sum(F("stock") - F("allocated"))).values("v")[:1]), Value(0)),
    )
