"""Realistic generated catalogs: ``seed_catalog`` (50,000 products in well under a minute on
PostgreSQL with COPY and set-based summary/search updates) and the small demo catalog.

Deterministic for a given ``seed``. On SQLite (the embedded demo) it falls back to
``bulk_create`` in batches.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.catalog import search, services
from apps.catalog.cache import bump_catalog_version
from apps.catalog.facet_snapshots import drop_snapshots
from apps.catalog.models import Category, Product, ProductStatus, Variant

TREE: dict[str, dict[str, list[str]]] = {
    "Clothing": {"T-Shirts": [], "Shirts": ["Casual Shirts", "Formal Shirts"], "Jackets": [], "Trousers": []},
    "Shoes": {"Running Shoes": ["Trail Running", "Road Running"], "Sneakers": [], "Boots": [], "Sandals": []},
    "Home & Kitchen": {"Cookware": [], "Mugs & Cups": [], "Lighting": [], "Bedding": []},
    "Electronics": {"Headphones": [], "Chargers & Cables": [], "Speakers": [], "Keyboards": []},
    "Sports & Outdoors": {"Camping": ["Tents", "Sleeping Bags"], "Cycling": [], "Yoga": []},
    "Beauty": {"Skincare": [], "Hair Care": []},
    "Toys & Games": {"Board Games": [], "Puzzles": []},
    "Books": {"Fiction": [], "Cookbooks": [], "Travel Guides": []},
}
NOUNS = {
    "Clothing": ["T-Shirt", "Shirt", "Jacket", "Hoodie", "Chinos", "Sweater", "Polo", "Parka"],
    "Shoes": ["Running Shoe", "Sneaker", "Hiking Boot", "Sandal", "Trail Runner", "Loafer"],
    "Home & Kitchen": ["Frying Pan", "Coffee Mug", "Desk Lamp", "Duvet Cover", "Teapot", "Chef Knife"],
    "Electronics": ["Wireless Headphones", "USB-C Charger", "Bluetooth Speaker", "Mechanical Keyboard", "Cable"],
    "Sports & Outdoors": ["Tent", "Sleeping Bag", "Bike Light", "Yoga Mat", "Water Bottle", "Backpack"],
    "Beauty": ["Face Cream", "Shampoo", "Lip Balm", "Serum", "Conditioner"],
    "Toys & Games": ["Board Game", "Jigsaw Puzzle", "Card Game", "Building Set"],
    "Books": ["Novel", "Cookbook", "Travel Guide", "Short Stories"],
}
ADJECTIVES = [
    "Classic",
    "Essential",
    "Premium",
    "Lightweight",
    "Vintage",
    "Urban",
    "Everyday",
    "Pro",
    "Eco",
    "Compact",
    "Deluxe",
    "Soft",
    "Rugged",
    "Modern",
    "Organic",
    "Waterproof",
]
MATERIALS = ["Cotton", "Wool", "Linen", "Leather", "Bamboo", "Steel", "Ceramic", "Recycled", "Canvas", "Oak"]
COLORS = ["black", "white", "navy", "red", "green", "grey", "blue", "beige", "yellow", "olive"]
BRANDS = ["Acme", "Northwind", "Lumen", "Kestrel", "Fjord", "Orchid", "Basalt", "Tideline", "Copperleaf", "Nimbus"]
PRICE_RANGES = {
    "Clothing": (12, 180),
    "Shoes": (35, 220),
    "Home & Kitchen": (6, 160),
    "Electronics": (9, 350),
    "Sports & Outdoors": (8, 450),
    "Beauty": (4, 70),
    "Toys & Games": (8, 90),
    "Books": (7, 45),
}
SIZES = {"Clothing": ["XS", "S", "M", "L", "XL"], "Shoes": ["38", "39", "40", "41", "42", "43", "44", "45"]}
DESCRIPTIONS = [
    "Made to last and easy to care for.",
    "A favourite of our customers, now in new colours.",
    "Designed in Europe with materials from responsible sources.",
    "Comfortable from the first day; pairs with everything.",
    "Tested in the field by people who use it every day.",
]


def ensure_categories(*, tenant) -> list[Category]:
    """The seed category tree (created once; idempotent). Returns the leaf categories."""
    existing = {c.slug: c for c in Category.objects.for_tenant(tenant)}
    leaves = []

    def get_or_create(name: str, parent: Category | None) -> Category:
        slug = slugify(name)
        if slug in existing:
            return existing[slug]
        category = services.create_category(tenant=tenant, name=name, slug=slug, parent=parent)
        existing[slug] = category
        return category

    for root_name, children in TREE.items():
        root = get_or_create(root_name, None)
        for child_name, grandchildren in children.items():
            child = get_or_create(child_name, root)
            if grandchildren:
                leaves.extend((root_name, get_or_create(name, child)) for name in grandchildren)
            else:
                leaves.append((root_name, child))
    return leaves


def generate(*, tenant, count: int, leaves, rng: random.Random, start: int = 0):
    """Yield (product dict, [variant dicts]) for ``count`` products."""
    now = timezone.now()
    for i in range(start, start + count):
        root_name, category = leaves[i % len(leaves)]
        noun = rng.choice(NOUNS[root_name])
        color = rng.choice(COLORS)
        brand = rng.choice(BRANDS)
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(MATERIALS)} {noun}"
        roll = rng.random()
        status = (
            ProductStatus.PUBLISHED if roll < 0.95 else ProductStatus.DRAFT if roll < 0.98 else ProductStatus.ARCHIVED
        )
        created = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        low, high = PRICE_RANGES[root_name]
        base_price = Decimal(rng.randint(low * 100, high * 100)) / 100
        product = {
            "public_id": uuid.uuid4(),
            "name": name,
            "slug": f"{slugify(name)}-{i + 1}",
            "description": f"{name} by {brand}, in {color}. {rng.choice(DESCRIPTIONS)}",
            "status": status,
            "category_id": category.pk,
            "attributes": {"brand": brand, "color": color, "material": name.split()[1].lower()},
            "created_at": created,
        }
        sizes = SIZES.get(root_name)
        options = rng.sample(sizes, rng.randint(2, 4)) if sizes else [None]
        variants = []
        for position, size in enumerate(options):
            stock = 0 if rng.random() < 0.1 else rng.randint(1, 200)
            price = base_price + (Decimal(position) * Decimal("2.00") if size else 0)
            variants.append(
                {
                    "sku": f"{brand[:3].upper()}-{i + 1:06d}-{size or 'U'}",
                    "options": {"size": size} if size else {},
                    "price": price,
                    "compare_at_price": (price * Decimal("1.25")).quantize(Decimal("0.01"))
                    if rng.random() < 0.15
                    else None,
                    "stock": stock,
                    "low_stock_threshold": 5,
                    "position": position,
                    "created_at": created,
                }
            )
        yield product, variants


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608 (constant names)
        for row in rows:
            copy.write_row(row)


def _refresh_summaries_sql(tenant_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE catalog_product p SET price_min = a.mn, price_max = a.mx, stock_total = a.st
            FROM (SELECT product_id, min(price) mn, max(price) mx, sum(stock) st
                  FROM catalog_variant WHERE tenant_id = %s GROUP BY product_id) a
            WHERE p.id = a.product_id AND p.tenant_id = %s
            """,
            [tenant_id, tenant_id],
        )


PRODUCT_TABLES = ("catalog_variant", "catalog_productimage", "catalog_product")


def _delete_rows(tables, tenant_ids: list[int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table} WHERE tenant_id = ANY(%s)", [tenant_ids])  # noqa: S608
    for tenant_id in tenant_ids:
        drop_snapshots(tenant_id=tenant_id)
        bump_catalog_version(tenant_id)


def delete_tenant_catalog(*, tenant) -> None:
    """Remove every product, variant and image row of the tenant (set-based; files are kept)."""
    _delete_rows(PRODUCT_TABLES, [tenant.pk])


def delete_catalogs(*, tenant_ids: list[int]) -> None:
    """Remove whole catalogs (products, variants, images, jobs and the category tree) of these
    tenants, set-based, before the tenants themselves are deleted (``seed_platform --clear``)."""
    _delete_rows((*PRODUCT_TABLES, "catalog_catalogjob", "catalog_category"), list(tenant_ids))


def seed_catalog(*, tenant, products: int, seed: int = 42) -> dict:
    """Add ``products`` generated products (with 1–4 variants each) to the tenant. Returns counts."""
    rng = random.Random(seed)
    leaves = ensure_categories(tenant=tenant)
    start = Product.objects.for_tenant(tenant).count()
    items = list(generate(tenant=tenant, count=products, leaves=leaves, rng=rng, start=start))
    now = timezone.now()
    if settings.IS_POSTGRES:
        with transaction.atomic():
            raw = connection.cursor().cursor
            product_rows = (
                (
                    tenant.pk,
                    str(p["public_id"]),
                    p["name"],
                    p["slug"],
                    p["description"],
                    p["status"],
                    p["category_id"],
                    json.dumps(p["attributes"]),
                    "",
                    "",
                    0,
                    p["created_at"],
                    now,
                )
                for p, _ in items
            )
            _copy(
                raw,
                "catalog_product",
                [
                    "tenant_id",
                    "public_id",
                    "name",
                    "slug",
                    "description",
                    "status",
                    "category_id",
                    "attributes",
                    "seo_title",
                    "seo_description",
                    "stock_total",
                    "created_at",
                    "updated_at",
                ],
                product_rows,
            )
            ids = dict(
                Product.objects.for_tenant(tenant)
                .filter(slug__in=[p["slug"] for p, _ in items])
                .values_list("slug", "id")
            )
            variant_rows = (
                (
                    tenant.pk,
                    ids[p["slug"]],
                    v["sku"],
                    json.dumps(v["options"]),
                    v["price"],
                    v["compare_at_price"],
                    tenant.currency,
                    v["stock"],
                    0,  # allocated: nothing is allocated to orders yet
                    v["low_stock_threshold"],
                    v["position"],
                    v["created_at"],
                    now,
                )
                for p, variants in items
                for v in variants
            )
            _copy(
                raw,
                "catalog_variant",
                [
                    "tenant_id",
                    "product_id",
                    "sku",
                    "options",
                    "price",
                    "compare_at_price",
                    "currency",
                    "stock",
                    "allocated",
                    "low_stock_threshold",
                    "position",
                    "created_at",
                    "updated_at",
                ],
                variant_rows,
            )
            _refresh_summaries_sql(tenant.pk)
            search.refresh_search_vectors(tenant_id=tenant.pk)
        if connection.in_atomic_block:  # inside a caller's transaction (tests): statistics only
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE catalog_product")
                cursor.execute("ANALYZE catalog_variant")
        else:  # VACUUM also sets the visibility map, so counts can use index-only scans
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE catalog_product")
                cursor.execute("VACUUM ANALYZE catalog_variant")
    else:
        with transaction.atomic():
            created = Product.objects.bulk_create(
                [Product(tenant=tenant, **{k: v for k, v in p.items() if k != "created_at"}) for p, _ in items],
                batch_size=500,
            )
            ids = {p.slug: p.pk for p in created}
            if None in ids.values():
                ids = dict(Product.objects.for_tenant(tenant).values_list("slug", "id"))
            Variant.objects.bulk_create(
                [
                    Variant(
                        tenant=tenant,
                        product_id=ids[p["slug"]],
                        currency=tenant.currency,
                        **{k: v for k, v in var.items() if k != "created_at"},
                    )
                    for p, variants in items
                    for var in variants
                ],
                batch_size=500,
            )
            services.refresh_product_summaries(tenant=tenant)
    services.refresh_sale_percentages(tenant=tenant)  # seeded into a category on sale
    drop_snapshots(tenant_id=tenant.pk)
    bump_catalog_version(tenant.pk)
    return {"products": len(items), "variants": sum(len(v) for _, v in items), "categories": len(leaves)}
