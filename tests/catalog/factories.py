"""Catalog test helpers: products built through the services (so summaries and vectors are real)."""

from __future__ import annotations

import io
import itertools

from django.db import transaction
from PIL import Image

from apps.catalog import search, services
from apps.catalog.models import Product

_seq = itertools.count(1)


def make_category(tenant, name="Shoes", parent=None, slug=""):
    return services.create_category(tenant=tenant, name=name, parent=parent, slug=slug)


def make_product(
    tenant,
    name="Trail Running Shoe",
    *,
    status="published",
    category=None,
    price="49.90",
    stock=10,
    attributes=None,
    variants=None,
    description="",
    slug="",
) -> Product:
    """A product with one variant (or ``variants``), search vector refreshed synchronously."""
    n = next(_seq)
    if variants is None:
        variants = [{"sku": f"SKU-{n:05d}", "price": price, "stock": stock}]
    data = {
        "name": name,
        "slug": slug,
        "status": status,
        "category": category,
        "attributes": attributes or {},
        "description": description,
    }
    with transaction.atomic():
        product = services.create_product(tenant=tenant, data=data, variants=variants)
    search.refresh_search_vectors(tenant_id=tenant.pk, product_ids=[product.pk])
    return product


def png_bytes(width=40, height=30, colour=(200, 40, 40)) -> bytes:
    """A small real PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()
