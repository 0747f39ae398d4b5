"""Reads of the catalog: product lists with search, filters, facets and sorting, product pages,
the category tree, and the lookups other apps use (``resolve_product_refs``,
``get_product_labels``). Storefront and public API reads go through the per-tenant cache
(``apps.catalog.cache``) and return plain data (dicts) so they can be cached."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from apps.catalog import attribute_facets, facet_snapshots, price_hooks, search, spelling
from apps.catalog import cache as catalog_cache

# Cards and the lookups for other apps live in their own modules; callers keep reading them here.
from apps.catalog.category_tree import (  # noqa: F401 (re-exported)
    breadcrumbs,
    descendant_ids,
    find_category,
    get_category,
    get_category_tree,
    list_categories,
)
from apps.catalog.filters import ProductFilters
from apps.catalog.models import CatalogJob, Category, Product, ProductImage, ProductStatus, Variant
from apps.catalog.product_cards import image_data, image_url, product_cards  # noqa: F401 (re-exported)
from apps.catalog.shared_lookups import (  # noqa: F401 (re-exported)
    get_product_labels,
    get_variant_for_sale,
    list_sellable_variant_ids,
    list_tenants_with_sale_prices,
    resolve_product_refs,
)
from apps.catalog.validation import ordering_for, price_field
from apps.core.errors import NotFound

PRICE_BUCKETS: list[tuple[Decimal, Decimal | None]] = [
    (Decimal("0"), Decimal("25")),
    (Decimal("25"), Decimal("50")),
    (Decimal("50"), Decimal("100")),
    (Decimal("100"), Decimal("250")),
    (Decimal("250"), None),
]
LIST_FIELDS = (
    "id",
    "public_id",
    "name",
    "slug",
    "price_min",
    "price_max",
    "effective_price_min",  # the public price sort's key (the API cursor reads it from the row)
    "stock_total",
    "category_id",
    "status",
)


# --- product lists ----------------------------------------------------------------------------


def filter_products(*, tenant, filters: ProductFilters, public: bool = True) -> QuerySet:
    """The tenant's products narrowed by ``filters`` (published only when ``public``), annotated
    with ``rank`` when searching. Unordered; see :func:`search_products`."""
    qs = Product.objects.for_tenant(tenant)
    if public:
        qs = qs.filter(status=ProductStatus.PUBLISHED)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        tree = get_category_tree(tenant=tenant)
        category = find_category(tree, filters.category)
        qs = qs.filter(category_id__in=descendant_ids(tree, category)) if category else qs.none()
    price = price_field(public=public)  # shoppers filter on the sale price, members on the catalog's
    if filters.price_min is not None:
        qs = qs.filter(**{f"{price}__gte": filters.price_min})
    if filters.price_max is not None:
        qs = qs.filter(**{f"{price}__lte": filters.price_max})
    if filters.in_stock:
        qs = qs.filter(stock_total__gt=0)
    qs = attribute_facets.apply_attribute_filters(qs, filters)
    if filters.q:
        vocabulary = (lambda: get_search_vocabulary(tenant=tenant)) if public else None
        qs = search.apply_search(qs, filters.q, vocabulary)
    return qs


def get_search_vocabulary(*, tenant) -> dict[str, str]:
    """The words of the shop's published product names and its category names (cached per
    catalog version), for typo-tolerant search on every database (:mod:`apps.catalog.spelling`)."""

    def produce():
        names = Product.objects.for_tenant(tenant).filter(status=ProductStatus.PUBLISHED).values_list("name", flat=True)
        categories = [node["name"] for node in get_category_tree(tenant=tenant)]
        return spelling.vocabulary_words([*names.iterator(chunk_size=2000), *categories])

    return catalog_cache.cached(tenant.pk, "vocabulary", None, catalog_cache.TTL_STRUCTURE, produce)


def search_products(*, tenant, filters: ProductFilters, public: bool = True) -> QuerySet:
    """:func:`filter_products`, ordered by the filters' sort (relevance when searching; by price:
    the sale price when ``public``, see ``validation.ordering_for``)."""
    qs = filter_products(tenant=tenant, filters=filters, public=public)
    return qs.order_by(*ordering_for(filters.effective_sort, public=public))


def get_facets(*, tenant, filters: ProductFilters, public: bool = True) -> dict:
    """Facet counts over the current result set: total, in stock, price buckets (by the sale
    price when ``public``), categories (counts include descendants), and the most common
    attribute values. On PostgreSQL one statement reads the matching rows once (a materialised
    CTE) for every count."""
    base = filter_products(tenant=tenant, filters=filters, public=public).order_by()
    base = base.annotate(bucket_price=F(price_field(public=public)))
    if base.query.is_empty():  # e.g. an unknown category: nothing to count, no SQL to compile
        counts, per_category, attribute_rows = {}, {}, []
    elif settings.IS_POSTGRES:
        counts, per_category, attribute_rows = _facet_counts_postgres(base)
    else:
        counts, per_category, attribute_rows = _facet_counts_orm(base)
    price_buckets = [
        {"min": str(low), "max": str(high) if high is not None else None, "count": counts.get(f"bucket_{index}", 0)}
        for index, (low, high) in enumerate(PRICE_BUCKETS)
    ]
    tree = get_category_tree(tenant=tenant)
    current = find_category(tree, filters.category) if filters.category else None
    shown = [node for node in tree if node["parent_id"] == (current["id"] if current else None)]
    path_by_id = {node["id"]: node["path"] for node in tree}
    categories = []
    for node in shown:
        total = sum(n for cid, n in per_category.items() if path_by_id.get(cid, "").startswith(node["path"]))
        if total:
            categories.append({"slug": node["slug"], "name": node["name"], "count": total})
    return {
        "total": counts.get("total", 0),
        "in_stock": counts.get("in_stock", 0),
        "price_buckets": price_buckets,
        "categories": categories,
        "attributes": _attribute_facets(tenant, filters, attribute_rows, public),
    }


def _attribute_facets(tenant, filters: ProductFilters, rows, public: bool) -> list[dict]:
    def recount(key):
        others = attribute_facets.without_attribute(filters, key)
        base = filter_products(tenant=tenant, filters=others, public=public)
        return attribute_facets.count_attribute_values(base, key)

    facets = attribute_facets.merge_selected(rows, filters, recount)
    return attribute_facets.top_attribute_facets(facets, filters)


def _bucket_case() -> str:
    whens = []
    for index, (_low, high) in enumerate(PRICE_BUCKETS):
        label = f"'bucket_{index}'"
        whens.append(f"WHEN bucket_price < {high} THEN {label}" if high is not None else f"ELSE {label}")
    return "CASE " + " ".join(whens) + " END"


def _facet_counts_postgres(base: QuerySet) -> tuple[dict, dict, list]:
    sql, params = base.values("category_id", "bucket_price", "stock_total", "attributes").query.sql_with_params()
    query = f"""
        WITH m AS MATERIALIZED ({sql})
        SELECT 'count', 'total', NULL, COUNT(*) FROM m
        UNION ALL SELECT 'count', 'in_stock', NULL, COUNT(*) FROM m WHERE stock_total > 0
        UNION ALL SELECT 'count', {_bucket_case()}, NULL, COUNT(*) FROM m WHERE bucket_price IS NOT NULL GROUP BY 2
        UNION ALL SELECT 'category', category_id::text, NULL, COUNT(*) FROM m GROUP BY category_id
        UNION ALL (SELECT 'attribute', a.key, a.value, COUNT(*) FROM m, jsonb_each_text(m.attributes) a
                   GROUP BY a.key, a.value ORDER BY COUNT(*) DESC, a.key, a.value LIMIT 200)
    """  # noqa: S608 (compiled ORM SQL and constants)
    counts: dict = {}
    per_category: dict = {}
    attribute_rows = []
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for kind, key, value, count in cursor.fetchall():
            if kind == "count":
                counts[key] = count
            elif kind == "category":
                per_category[int(key) if key is not None else None] = count
            else:
                attribute_rows.append((key, value, count))
    return counts, per_category, attribute_rows


def _facet_counts_orm(base: QuerySet) -> tuple[dict, dict, list]:
    aggregates = {"total": Count("id"), "in_stock": Count("id", filter=Q(stock_total__gt=0))}
    for index, (low, high) in enumerate(PRICE_BUCKETS):
        condition = Q(bucket_price__gte=low) & (Q(bucket_price__lt=high) if high is not None else Q())
        aggregates[f"bucket_{index}"] = Count("id", filter=condition)
    counts = base.aggregate(**aggregates)
    per_category = {row["category_id"]: row["n"] for row in base.values("category_id").annotate(n=Count("id"))}
    sql, params = base.values("attributes").query.sql_with_params()
    query = (
        f"SELECT a.key, a.value, COUNT(*) FROM ({sql}) s, json_each(s.attributes) a "  # noqa: S608
        "GROUP BY a.key, a.value ORDER BY COUNT(*) DESC, a.key, a.value LIMIT 200"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    return counts, per_category, rows


# --- pages (plain data, cacheable) ------------------------------------------------------------


def get_cached_facets(*, tenant, filters: ProductFilters) -> dict:
    """:func:`get_facets` of published products, cached per filter set (shared by every page and
    sort order of a listing, so paging through a category computes its facets once)."""
    params = {k: v for k, v in filters.as_params().items() if k != "sort"}

    def produce():
        if settings.IS_POSTGRES and facet_snapshots.is_snapshotted(filters):
            compute = lambda: get_facets(tenant=tenant, filters=filters)  # noqa: E731
            return facet_snapshots.get_snapshot_facets(tenant=tenant, params=params, compute=compute)
        return get_facets(tenant=tenant, filters=filters)

    return catalog_cache.cached(tenant.pk, "facets", params, catalog_cache.TTL_LISTING, produce)


def page_of_products(qs: QuerySet, *, searching: bool, start: int, per_page: int) -> list[Product]:
    """One page of an ordered queryset. Without search words the ids come first, from an
    index-only scan of the ordering's index (a deep page skips index entries, not rows), and
    only the page's rows are read; a search page is one query (its rank is computed anyway)."""
    if searching:
        return list(qs.only(*LIST_FIELDS)[start : start + per_page])
    ids = list(qs.values_list("id", flat=True)[start : start + per_page])
    rows = {p.pk: p for p in Product.objects.all_tenants().filter(pk__in=ids).only(*LIST_FIELDS)}
    return [rows[i] for i in ids if i in rows]


def get_storefront_listing(*, tenant, filters: ProductFilters, page: int, per_page: int = 24) -> dict:
    """One page of published products for the storefront (cached): cards, total, facets."""

    def produce():
        qs = search_products(tenant=tenant, filters=filters)
        facets = get_cached_facets(tenant=tenant, filters=filters)
        total = facets["total"]
        pages = max(1, -(-total // per_page))
        number = min(max(1, page), pages)
        start = (number - 1) * per_page
        products = page_of_products(qs, searching=bool(filters.q), start=start, per_page=per_page)
        return {
            "cards": product_cards(tenant, products),
            "total": total,
            "page": number,
            "pages": pages,
            "facets": facets,
            "spelling": _spelling(tenant, filters, total),
        }

    params = {"filters": filters.as_params(), "page": page, "per_page": per_page}
    return catalog_cache.cached(tenant.pk, "listing", params, catalog_cache.TTL_LISTING, produce)


def _spelling(tenant, filters: ProductFilters, total: int) -> dict:
    if not filters.q:
        return {"corrected": "", "suggestion": ""}
    others = filter_products(tenant=tenant, filters=dataclasses.replace(filters, q=""))
    return search.describe_spelling(others, filters.q, get_search_vocabulary(tenant=tenant), total)


def product_detail(tenant, product: Product) -> dict:
    """A product with its variants, images and category breadcrumbs, as plain data."""
    variants = [
        {
            "id": v.pk,
            "sku": v.sku,
            "options": v.options,
            "label": v.option_label,
            "price": str(v.price),
            "compare_at_price": str(v.compare_at_price) if v.compare_at_price is not None else None,
            "currency": v.currency,
            "stock": v.available,
            "stock_status": v.stock_status,
        }
        for v in product.variants.all()
    ]
    images = [image_data(tenant, image) for image in product.images.all()]
    tree = get_category_tree(tenant=tenant)
    category = next((c for c in tree if c["id"] == product.category_id), None)
    detail = {
        "id": product.pk,
        "public_id": str(product.public_id),
        "name": product.name,
        "slug": product.slug,
        "status": product.status,
        "description": product.description,
        "attributes": product.attributes,
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
        "price_min": str(product.price_min) if product.price_min is not None else None,
        "price_max": str(product.price_max) if product.price_max is not None else None,
        "currency": tenant.currency,
        "in_stock": product.stock_total > 0,
        "category": category,
        "breadcrumbs": breadcrumbs(tree, category) if category else [],
        "variants": variants,
        "images": images,
        "created_at": product.created_at.isoformat(),
        "updated_at": product.updated_at.isoformat(),
    }
    price_hooks.apply_sales_to_detail(tenant, detail, product.category_id)  # sale prices (promotions)
    return detail


def get_public_product(*, tenant, slug: str) -> dict | None:
    """A published product by slug as plain data (cached), or None."""

    def produce():
        product = (
            Product.objects.for_tenant(tenant)
            .filter(status=ProductStatus.PUBLISHED, slug=slug)
            .prefetch_related("variants", "images")
            .first()
        )
        return product_detail(tenant, product) if product else False

    result = catalog_cache.cached(tenant.pk, "product", slug, catalog_cache.TTL_PRODUCT, produce)
    return result or None


def get_product(*, tenant, product_id: int, public: bool = False) -> Product:
    """One of the tenant's products (published only when ``public``); ``Product.DoesNotExist``."""
    qs = Product.objects.for_tenant(tenant).select_related("category").prefetch_related("variants", "images")
    if public:
        qs = qs.filter(status=ProductStatus.PUBLISHED)
    return qs.get(pk=product_id)


def list_variants(*, tenant, product: Product) -> QuerySet:
    """``product``'s variants in their order."""
    return Variant.objects.for_tenant(tenant).filter(product=product).order_by("position", "id")


def list_sitemap_entries(*, tenant) -> list[dict]:
    """Slugs and last-modified times of published products (cached), for sitemap.xml."""

    def produce():
        rows = (
            Product.objects.for_tenant(tenant)
            .filter(status=ProductStatus.PUBLISHED)
            .order_by("id")
            .values_list("slug", "updated_at")[:50000]
        )
        return [{"slug": slug, "lastmod": updated.date().isoformat()} for slug, updated in rows]

    return catalog_cache.cached(tenant.pk, "sitemap", None, catalog_cache.TTL_STRUCTURE, produce)


def list_jobs(*, tenant, kind: str | None = None) -> QuerySet:
    qs = CatalogJob.objects.for_tenant(tenant)
    return qs.filter(kind=kind) if kind else qs


def get_job(*, tenant, job_id: int) -> CatalogJob:
    """One of the tenant's import/export jobs; ``CatalogJob.DoesNotExist`` otherwise."""
    return CatalogJob.objects.for_tenant(tenant).get(pk=job_id)


# --- access: fetch for this tenant or NotFound (API and console views) -----------------------------


def access_product(*, tenant, product_id: int, public: bool = False) -> Product:
    """:func:`get_product`, or :class:`NotFound` (404) for a missing or another tenant's product."""
    try:
        return get_product(tenant=tenant, product_id=product_id, public=public)
    except Product.DoesNotExist:
        raise NotFound() from None


def access_variant(*, tenant, product: Product, variant_id: int) -> Variant:
    """One of ``product``'s variants, or :class:`NotFound`."""
    variant = list_variants(tenant=tenant, product=product).filter(pk=variant_id).first()
    if variant is None:
        raise NotFound()
    return variant


def access_image(*, tenant, product: Product, image_id: int) -> ProductImage:
    """One of ``product``'s images, or :class:`NotFound`."""
    image = ProductImage.objects.for_tenant(tenant).filter(product=product, pk=image_id).first()
    if image is None:
        raise NotFound()
    return image


def access_category(*, tenant, category_id: int) -> Category:
    """:func:`get_category`, or :class:`NotFound`."""
    try:
        return get_category(tenant=tenant, category_id=category_id)
    except Category.DoesNotExist:
        raise NotFound() from None


def access_job(*, tenant, job_id: int) -> CatalogJob:
    """:func:`get_job`, or :class:`NotFound`."""
    try:
        return get_job(tenant=tenant, job_id=job_id)
    except CatalogJob.DoesNotExist:
        raise NotFound() from None
