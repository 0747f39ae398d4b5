"""The demo shop's promotions (``apps.demo.loader``): one voucher and one running sale.
Idempotent (nothing is added when they exist); SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.catalog import selectors as catalog_selectors
from apps.promotions import selectors, services
from apps.promotions.models import Sale

DEMO_CODE = "WELCOME10"
DEMO_SALE = "Winter sale"


def load_demo_promotions(*, tenant) -> dict:
    """``WELCOME10`` (10 % off, once per customer, from 20.00) and a 20 % sale on the first
    top-level category for the next 30 days. Returns what was loaded, for the demo's summary."""
    if selectors.find_voucher(tenant=tenant, code=DEMO_CODE) is None:
        services.create_voucher(
            tenant=tenant,
            data={
                "code": DEMO_CODE,
                "description": "10 % off your first order",
                "kind": "percentage",
                "value": "10",
                "min_subtotal": "20",
                "once_per_customer": True,
            },
        )
    category = next((n for n in catalog_selectors.get_category_tree(tenant=tenant) if n["depth"] == 0), None)
    if category is not None and not Sale.objects.for_tenant(tenant).filter(name=DEMO_SALE).exists():
        now = timezone.now()
        services.create_sale(
            tenant=tenant,
            data={
                "name": DEMO_SALE,
                "percentage": "20",
                "category": category["id"],
                "starts_at": (now - timedelta(minutes=1)).isoformat(),
                "ends_at": (now + timedelta(days=30)).isoformat(),
            },
        )
    return {"voucher": DEMO_CODE, "sale_category": category["name"] if category else None}
