"""Writes to the catalog. Every function is keyword-only, validates, runs in one transaction and,
after commit, bumps the tenant's cache version and enqueues the search-vector refresh (a Celery
task), so that writes never wait on index work."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.catalog import images  # a module import: images imports this module too
from apps.catalog.category_services import (  # noqa: F401 - the category writes, public here too
    create_category,
    delete_category,
    resolve_category,
    update_category,
)
from apps.catalog.changes import catalog_changed, refresh_product_summaries  # noqa: F401 - public here too
from apps.catalog.models import CatalogJob, JobStatus, Product, ProductStatus, Variant
from apps.catalog.sale_prices import refresh_sale_percentages  # public here too (promotions calls it)
from apps.catalog.stock import (  # noqa: F401 - stock writes for the orders app, part of the public services
    allocate_stock,
    deallocate_stock,
    fulfil_stock,
    lock_variants,
    restock_stock,
)
from apps.catalog.validation import (  # noqa: F401 - the rules' old home re-exports them
    ATTR_KEY_RE,
    CATEGORY_DEPTH_MESSAGE,
    COMPARE_AT_MESSAGE,
    MAX_CATEGORY_DEPTH,
    MAX_CATEGORY_NAME,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_PRICE,
    MAX_STOCK,
    PRICE_RE,
    REQUIRED_MESSAGE,
    SEO_LIMITS,
    SKU_RE,
    add_error,
    check_compare_at_price,
    check_currency,
    choose_one_message,
    clean_attributes,
    clean_description,
    clean_name,
    clean_seo,
    clean_sku,
    clean_slug,
    clean_status,
    parse_int,
    parse_price,
    slug_for,
)
from apps.core.errors import ApplicationError, Conflict, Invalid, NotFound

PRODUCT_FIELDS = ("name", "slug", "description", "status", "category", "attributes", "seo_title", "seo_description")


def _invalid(details: dict, message: str | None = None) -> Invalid:
    """The :class:`Invalid` for ``details`` (its message: the first field's first message)."""
    return Invalid(details, message=message)


# --- after-commit effects -----------------------------------------------------------------------


def fail_job(*, tenant_id: int, job_id: int, message: str) -> bool:
    """Mark an unfinished import/export job failed with ``message`` (its task died for good)."""

    updated = (
        CatalogJob.objects.for_tenant(tenant_id)
        .filter(pk=job_id, status__in=(JobStatus.PENDING, JobStatus.RUNNING))
        .update(status=JobStatus.FAILED, message=f"The job stopped: {message}"[:500], finished_at=timezone.now())
    )
    return bool(updated)


# --- field validation (the rules live in apps.catalog.validation) ---------------------------------


def clean_product_fields(*, tenant, data: dict, errors: dict, instance: Product | None = None) -> dict:
    """Validated product fields from ``data`` (only the keys present, except on create)."""
    cleaned: dict = {}
    creating = instance is None
    if "name" in data or creating:
        cleaned["name"] = clean_name(data.get("name"), errors)
    if "slug" in data or creating:
        cleaned["slug"] = clean_slug(data.get("slug"), name=cleaned.get("name", ""), errors=errors)
    if "description" in data:
        cleaned["description"] = clean_description(data.get("description"), errors)
    if "status" in data:
        cleaned["status"] = clean_status(data.get("status"), errors)
    if "category" in data:
        cleaned["category"] = resolve_category(tenant=tenant, value=data.get("category"), errors=errors)
    if "attributes" in data:
        cleaned["attributes"] = clean_attributes(data.get("attributes"), errors)
    for field in SEO_LIMITS:
        if field in data:
            cleaned[field] = clean_seo(field, data.get(field), errors)
    if "slug" in cleaned and cleaned["slug"] and "slug" not in errors:
        clash = Product.objects.for_tenant(tenant).filter(slug=cleaned["slug"])
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.setdefault("slug", []).append("Another product already uses this slug.")
    return cleaned


def clean_variant_fields(*, tenant, data: dict, errors: dict, instance: Variant | None = None) -> dict:
    """Validated variant fields from ``data`` (SKU, options, price, compare-at, currency, stock)."""
    cleaned: dict = {}
    creating = instance is None
    if "sku" in data or creating:
        sku = clean_sku(data.get("sku"), errors)
        if "sku" not in errors:
            clash = Variant.objects.for_tenant(tenant).filter(sku=sku)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors.setdefault("sku", []).append(f"SKU {sku} is already used by another variant.")
        cleaned["sku"] = sku
    if "options" in data:
        cleaned["options"] = clean_attributes(data.get("options"), errors, field="options")
    if "price" in data or creating:
        cleaned["price"] = parse_price(data.get("price"), "price", errors)
    if "compare_at_price" in data:
        cleaned["compare_at_price"] = parse_price(
            data.get("compare_at_price"), "compare_at_price", errors, required=False
        )
    if "price" in cleaned or "compare_at_price" in cleaned:
        check_compare_at_price(
            price=cleaned["price"] if "price" in cleaned else getattr(instance, "price", None),
            compare_at_price=(
                cleaned["compare_at_price"]
                if "compare_at_price" in cleaned
                else getattr(instance, "compare_at_price", None)
            ),
            errors=errors,
        )
    cleaned["currency"] = check_currency(data.get("currency"), tenant=tenant, errors=errors)
    for field, default in (("stock", 0), ("low_stock_threshold", 5)):
        if field in data or creating:
            cleaned[field] = parse_int(data.get(field), field, errors, default=default)
    if "position" in data:
        cleaned["position"] = parse_int(data.get("position"), "position", errors)
    if "weight_grams" in data:
        weight = data.get("weight_grams")
        cleaned["weight_grams"] = None if weight in (None, "") else parse_int(weight, "weight_grams", errors)
        if cleaned["weight_grams"] is not None and not 0 <= cleaned["weight_grams"] <= 1_000_000:
            errors.setdefault("weight_grams", []).append("Enter a weight from 0 to 1000000 grams.")
    allocated = getattr(instance, "allocated", 0) or 0
    if "stock" in cleaned and "stock" not in errors and cleaned["stock"] < allocated:
        errors.setdefault("stock", []).append(
            f"{allocated} units are allocated to placed orders: stock cannot go below that."
        )
    return cleaned


# --- products ---------------------------------------------------------------------------------


def create_product(*, tenant, data: dict, variants: list[dict] | None = None) -> Product:
    """Create a product (and its variants). ``data`` holds product fields; ``variants`` a list of
    variant field dicts. Raises ``ApplicationError`` (400, details per field) and writes nothing
    on any error."""
    errors: dict = {}
    cleaned = clean_product_fields(tenant=tenant, data=data, errors=errors)
    variant_rows = []
    seen = set()
    for index, item in enumerate(variants or []):
        item_errors: dict = {}
        row = clean_variant_fields(tenant=tenant, data=item, errors=item_errors)
        if row.get("sku") in seen:
            item_errors.setdefault("sku", []).append("Duplicate SKU in this request.")
        seen.add(row.get("sku"))
        if item_errors:
            errors[f"variants[{index}]"] = item_errors
        variant_rows.append(row)
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            product = Product.objects.create(tenant=tenant, **cleaned)
            for position, row in enumerate(variant_rows):
                row.setdefault("position", position)
                Variant.objects.create(tenant=tenant, product=product, **row)
            refresh_product_summaries(tenant=tenant, product_ids=[product.pk])
            refresh_sale_percentages(tenant=tenant, product_ids=[product.pk])  # new in a category on sale
            catalog_changed(tenant_id=tenant.pk, product_ids=[product.pk])
    except IntegrityError as exc:  # a concurrent write took the slug or a SKU
        raise Conflict("The slug or a SKU is already in use.") from exc
    product.refresh_from_db()
    return product


def update_product(*, tenant, product: Product, data: dict) -> Product:
    """Change the product fields present in ``data``; validation as :func:`create_product`."""
    _check_owned(tenant, product)
    errors: dict = {}
    cleaned = clean_product_fields(tenant=tenant, data=data, errors=errors, instance=product)
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            old_category_id = product.category_id
            for field, value in cleaned.items():
                setattr(product, field, value)
            product.save()
            if product.category_id != old_category_id:  # into or out of a category on sale
                refresh_sale_percentages(tenant=tenant, product_ids=[product.pk])
            catalog_changed(tenant_id=tenant.pk, product_ids=[product.pk])
    except IntegrityError as exc:
        raise Conflict("The slug is already in use.") from exc
    return product


# What a PUT that leaves a field out sets it to (a replacement, not a change).
REPLACE_DEFAULTS = {
    "name": "",
    "description": "",
    "status": ProductStatus.DRAFT,
    "category": None,
    "attributes": {},
    "seo_title": "",
    "seo_description": "",
}


def replace_product(*, tenant, product: Product, data: dict) -> Product:
    """Replace the product's fields (API ``PUT``): a field ``data`` leaves out (or sends empty)
    takes its default (``REPLACE_DEFAULTS``); the slug is kept unless given. Validation as
    :func:`update_product`."""
    full = {**REPLACE_DEFAULTS, **data}
    full["status"] = full["status"] or ProductStatus.DRAFT
    full["attributes"] = full["attributes"] or {}
    return update_product(tenant=tenant, product=product, data=full)


def upsert_products(*, tenant, items: list[dict]) -> list[dict]:
    """:func:`upsert_product` for each of ``items`` (product fields with a ``variants`` list), each
    in its own savepoint: one result per item, in order -- ``{"index", "status": "created" |
    "updated" | "error", "id", "error": {"code", "message", "details"} | None}``. A bad item
    writes nothing of itself and does not stop the others."""
    results = []
    for index, item in enumerate(items):
        data = dict(item)
        variants = [dict(v) for v in data.pop("variants", [])]
        try:
            with transaction.atomic():
                product, created = upsert_product(tenant=tenant, data=data, variants=variants)
        except ApplicationError as exc:
            error = {"code": exc.code, "message": exc.message, "details": exc.details}
            results.append({"index": index, "status": "error", "id": None, "error": error})
        else:
            status = "created" if created else "updated"
            results.append({"index": index, "status": status, "id": product.pk, "error": None})
    return results


def delete_product(*, tenant, product: Product) -> None:
    """Delete a product with its variants and images."""
    _check_owned(tenant, product)
    with transaction.atomic():
        image_names = [n for image in product.images.all() for n in (image.image.name, *image.thumbnails.values())]
        product.delete()
        catalog_changed(tenant_id=tenant.pk, reindex=False)

    transaction.on_commit(lambda: images.delete_image_files(image_names))


def set_products_status(*, tenant, product_ids: list[int], status: str) -> int:
    """Bulk publish / archive / unpublish the tenant's products; returns how many changed."""
    if status not in ProductStatus.values:
        raise _invalid({"status": [choose_one_message(ProductStatus.values)]})
    ids = [int(i) for i in product_ids]
    if not ids:
        raise _invalid({"product_ids": ["Select at least one product."]})
    with transaction.atomic():
        count = Product.objects.for_tenant(tenant).filter(pk__in=ids).exclude(status=status).update(status=status)
        catalog_changed(tenant_id=tenant.pk, reindex=False)
    return count


def _check_owned(tenant, obj) -> None:
    if obj.tenant_id != tenant.pk:
        raise NotFound()


# --- variants ---------------------------------------------------------------------------------


def create_variant(*, tenant, product: Product, data: dict) -> Variant:
    """Add a variant to ``product``."""
    _check_owned(tenant, product)
    errors: dict = {}
    cleaned = clean_variant_fields(tenant=tenant, data=data, errors=errors)
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            cleaned.setdefault("position", product.variants.count())
            variant = Variant.objects.create(tenant=tenant, product=product, **cleaned)
            refresh_product_summaries(tenant=tenant, product_ids=[product.pk])
            catalog_changed(tenant_id=tenant.pk, product_ids=[product.pk])
    except IntegrityError as exc:
        raise Conflict("This SKU is already in use.") from exc
    return variant


def update_variant(*, tenant, variant: Variant, data: dict) -> Variant:
    """Change the variant fields present in ``data``."""
    _check_owned(tenant, variant)
    errors: dict = {}
    cleaned = clean_variant_fields(tenant=tenant, data=data, errors=errors, instance=variant)
    if errors:
        raise _invalid(errors)
    try:
        with transaction.atomic():
            for field, value in cleaned.items():
                setattr(variant, field, value)
            variant.save()
            refresh_product_summaries(tenant=tenant, product_ids=[variant.product_id])
            catalog_changed(tenant_id=tenant.pk, product_ids=[variant.product_id])
    except IntegrityError as exc:
        raise Conflict("This SKU is already in use.") from exc
    return variant


def delete_variant(*, tenant, variant: Variant) -> None:
    """Remove a variant."""
    _check_owned(tenant, variant)
    with transaction.atomic():
        product_id = variant.product_id
        variant.delete()
        refresh_product_summaries(tenant=tenant, product_ids=[product_id])
        catalog_changed(tenant_id=tenant.pk, product_ids=[product_id])


def upsert_product(*, tenant, data: dict, variants: list[dict] | None = None) -> tuple[Product, bool]:
    """Create the product with ``data["slug"]`` (or the slug of its name) or update it, and upsert
    its ``variants`` by SKU. Returns (product, created). A SKU that belongs to another product is
    an error. All or nothing for this one product."""
    slug = slug_for(data)
    existing = Product.objects.for_tenant(tenant).filter(slug=slug).first() if slug else None
    if existing is None:
        return create_product(tenant=tenant, data=data, variants=variants), True
    with transaction.atomic():
        fields = {k: v for k, v in data.items() if k in PRODUCT_FIELDS and k != "slug"}
        product = update_product(tenant=tenant, product=existing, data=fields)
        current = {
            v.sku: v for v in Variant.objects.for_tenant(tenant).filter(sku__in=[i.get("sku") for i in variants or []])
        }
        for index, item in enumerate(variants or []):
            variant = current.get(str(item.get("sku") or "").strip())
            try:
                if variant is None:
                    create_variant(tenant=tenant, product=product, data=item)
                elif variant.product_id != product.pk:
                    raise _invalid({"sku": [f"SKU {variant.sku} belongs to another product."]})
                else:
                    update_variant(tenant=tenant, variant=variant, data=item)
            except ApplicationError as exc:
                exc.details = {f"variants[{index}]": exc.details}
                raise
    product.refresh_from_db()
    return product, False
