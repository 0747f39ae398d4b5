"""Demo traffic for the lead's demo loader: a couple of weeks of visits, rolled up. Works on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from apps.analytics import event_store, purchases, rollups, services, traffic

DEMO_DAYS = 14
DEMO_EVENTS = 3000


def _demo_products(tenant) -> list[tuple[str, str, int]]:
    """(page path, product reference, price in cents) of the tenant's published products, through catalog selectors."""
    try:
        from apps.catalog.selectors import get_public_product, list_sitemap_entries
    except ImportError:
        return []
    products = []
    for entry in list_sitemap_entries(tenant=tenant)[:50]:
        detail = get_public_product(tenant=tenant, slug=entry["slug"])
        if detail:
            price = detail.get("price_min")
            cents = int(Decimal(price) * 100) if price else 0
            products.append((f"/s/{tenant.slug}/p/{entry['slug']}/", detail["public_id"], cents))
    return products


def load_demo_traffic(*, tenant, days: int = DEMO_DAYS, events: int = DEMO_EVENTS) -> int:
    """Store ``events`` sample events over the last ``days`` days, plus the purchase event of each
    order the shop has (placed by the orders demo, backdated), and build their rollups.

    Idempotent in effect: the tenant's previous raw events are replaced. Returns events stored.
    """
    services.get_or_create_settings(tenant=tenant)
    end = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days)
    event_store.ensure_partitions(first=start.date(), last=end.date())
    rows = traffic.generate(
        tenant_id=tenant.pk,
        start=start,
        days=days,
        events=events,
        products=_demo_products(tenant) or None,
        base_path=f"/s/{tenant.slug}/",
        seed=tenant.pk,
    )
    orders = purchases.order_purchase_rows(tenant=tenant)
    first = min([start.date()] + [row.occurred_at.astimezone(UTC).date() for row in orders])
    event_store.ensure_partitions(first=first, last=end.date())
    with transaction.atomic():
        event_store.delete_tenant_events(tenant_id=tenant.pk)
        stored = event_store.copy_rows(_resolved(tenant, rows))
        stored += event_store.write_batch(orders)
    rollups.rebuild_range(tenant_id=tenant.pk, first=first, last=end.date())
    return stored


def _resolved(tenant, rows):
    """Rows with ``product_id`` filled in from the catalog (product views of real products)."""
    from apps.analytics.catalog_bridge import resolve_products
    from apps.analytics.event_store import EventRow

    batch = [EventRow(*row) for row in rows]
    resolve_products(batch)
    return batch
