"""The analytics side of the catalog: resolve product references and label products.

Analytics only calls the catalog's public selectors (``resolve_product_refs``,
``get_product_labels``); for a tenant without a catalog, products stay keyed by the reference the
storefront sent.
"""

from __future__ import annotations

from collections import defaultdict

from apps.analytics.models import AnalyticsSettings
from apps.catalog import selectors as catalog_selectors


def _tenant(tenant_id: int):
    found = AnalyticsSettings.objects.for_tenant(tenant_id).select_related("tenant").first()
    return found.tenant if found else None


def resolve_products(rows) -> None:
    """Set ``product_id`` on rows whose ``product_ref`` (id or SKU) names a product of their tenant,
    and on the ``items`` of purchase rows that have a ``ref`` but no ``product_id`` yet."""
    refs_by_tenant: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        if row.product_ref:
            refs_by_tenant[row.tenant_id].add(row.product_ref)
        refs_by_tenant[row.tenant_id].update(item["ref"] for item in _unresolved_items(row))
    for tenant_id, refs in refs_by_tenant.items():
        tenant = _tenant(tenant_id) if refs else None
        if tenant is None:
            continue
        mapping = catalog_selectors.resolve_product_refs(tenant=tenant, refs=sorted(refs))
        for row in rows:
            if row.tenant_id != tenant_id:
                continue
            if row.product_ref in mapping:
                row.product_id = mapping[row.product_ref]
            for item in _unresolved_items(row):
                item["product_id"] = mapping.get(item["ref"])


def _unresolved_items(row) -> list[dict]:
    """A purchase (or cancellation) row's items naming a product only by reference."""
    if row.type not in ("purchase", "cancellation") or not isinstance(row.props, dict):
        return []
    items = row.props.get("items")
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict) and item.get("ref") and item.get("product_id") is None]


def resolve_skus(*, tenant, skus: list[str]) -> dict[str, int]:
    """Product ids by variant SKU (the lines of an order), through the catalog's selector."""
    if not skus:
        return {}
    return dict(catalog_selectors.resolve_product_refs(tenant=tenant, refs=sorted(set(skus))))


def product_labels(*, tenant, keys: list[str]) -> dict[str, str]:
    """Display names for product dimension keys (product ids as strings, or raw references)."""
    ids = [int(key) for key in keys if key.isdecimal()]
    if not ids:
        return {}
    labels = catalog_selectors.get_product_labels(tenant=tenant, product_ids=ids)
    return {str(product_id): str(label) for product_id, label in labels.items()}
