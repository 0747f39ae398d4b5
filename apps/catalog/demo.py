"""The demo catalog for ``apps.demo.loader`` (works on SQLite and PostgreSQL)."""

from __future__ import annotations

from apps.catalog.demo_images import add_demo_images
from apps.catalog.models import Product
from apps.catalog.seed import seed_catalog


def load_demo_catalog(*, tenant, products: int = 200, images: bool = True) -> int:
    """Give the tenant at least ``products`` generated products, each with a drawn picture
    (``images``; :mod:`apps.catalog.demo_images`); idempotent (a second call adds nothing).
    Returns how many products the tenant has."""
    existing = Product.objects.for_tenant(tenant).count()
    if existing < products:
        seed_catalog(tenant=tenant, products=products - existing, seed=2026 + existing)
    if images:
        add_demo_images(tenant=tenant)
    return Product.objects.for_tenant(tenant).count()
