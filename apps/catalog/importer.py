"""CSV import of products with variants (upsert by SKU), and the import job around it.

Parsing and row checks are in ``apps.catalog.csv_rows`` (field rules in
``apps.catalog.validation``), exports in ``apps.catalog.exporter``, live progress in
``apps.catalog.job_progress``; their public names are importable from here too.

The import is set-based: per chunk of rows it loads what exists, upserts only new or changed
products and variants with ``bulk_create(update_conflicts=True)``, recomputes price/stock
summaries and search vectors in one UPDATE each. Importing the same file twice changes nothing
the second time (every row counts as unchanged). Live progress goes to the cache so the console
can show it while an all-or-nothing import's transaction is still open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.catalog import search
from apps.catalog.changes import catalog_changed, refresh_product_summaries
from apps.catalog.csv_categories import CategoryResolver
from apps.catalog.csv_dialect import Dialect, ImportOptions, options_from_params
from apps.catalog.csv_rows import (  # noqa: F401 - public names of the import, kept here
    COLUMNS,
    MAX_ROWS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ParsedRow,
    RowError,
    decode_csv,
    error_report_csv,
    format_pairs,
    parse_pairs,
    read_csv,
    read_rows,
    validate_rows,
)
from apps.catalog.exporter import EXPORT_COLUMNS, run_export_job, start_export  # noqa: F401 - see above
from apps.catalog.job_progress import get_progress, set_progress  # noqa: F401 - see above
from apps.catalog.models import CatalogJob, ImportMode, JobStatus, Product, Variant
from apps.catalog.sale_prices import refresh_sale_percentages
from apps.core.errors import ApplicationError, ErrorCode, Invalid
from apps.core.outbox import enqueue_task

CHUNK = 2000
PRODUCT_UPDATE_FIELDS = [
    "name",
    "description",
    "status",
    "category",
    "attributes",
    "seo_title",
    "seo_description",
    "updated_at",
]
VARIANT_UPDATE_FIELDS = [
    "product",
    "options",
    "price",
    "compare_at_price",
    "currency",
    "stock",
    "low_stock_threshold",
    "updated_at",
]


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    fatal: bool = False
    dialect: Dialect | None = None
    categories_created: int = 0
    images: list[list] = field(default_factory=list)  # [line, product_id, url] to fetch after commit


def _product_values(product: Product) -> dict:
    return {
        "name": product.name,
        "description": product.description,
        "status": product.status,
        "category_id": product.category_id,
        "attributes": product.attributes,
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
    }


def write_chunk(*, tenant, rows: list[ParsedRow], result: ImportResult) -> None:
    """Upsert one chunk of valid rows: new or changed products and variants only."""
    wanted: dict[str, dict] = {}
    for row in rows:
        wanted.setdefault(row.product["slug"], row.product)
    existing = {p.slug: p for p in Product.objects.for_tenant(tenant).filter(slug__in=list(wanted))}
    changed_slugs = set()
    upserts = []
    for slug, values in wanted.items():
        current = existing.get(slug)
        fields = {k: v for k, v in values.items() if k != "slug"}
        if current is not None and _product_values(current) == fields:
            continue
        changed_slugs.add(slug)
        upserts.append(Product(tenant=tenant, slug=slug, **fields))
    if upserts:
        Product.objects.bulk_create(
            upserts,
            update_conflicts=True,
            unique_fields=["tenant", "slug"],
            update_fields=PRODUCT_UPDATE_FIELDS,
        )
    ids = dict(Product.objects.for_tenant(tenant).filter(slug__in=list(wanted)).values_list("slug", "id"))
    current_variants = {
        v["sku"]: v
        for v in Variant.objects.for_tenant(tenant)
        .filter(sku__in=[row.variant["sku"] for row in rows])
        .values("sku", "product_id", "options", "price", "compare_at_price", "currency", "stock", "low_stock_threshold")
    }
    variant_upserts = []
    touched: set[int] = set()
    for position, row in enumerate(rows):
        product_id = ids[row.product["slug"]]
        values = {**row.variant, "product_id": product_id}
        current = current_variants.get(values["sku"])
        if current is None:
            result.created += 1
        elif {k: current[k] for k in values} == values:
            if row.product["slug"] in changed_slugs:
                result.updated += 1
            else:
                result.unchanged += 1
            continue
        else:
            result.updated += 1
            touched.add(current["product_id"])
        touched.add(product_id)
        variant_upserts.append(Variant(tenant=tenant, position=position, **values))
    if variant_upserts:
        Variant.objects.bulk_create(
            variant_upserts,
            update_conflicts=True,
            unique_fields=["tenant", "sku"],
            update_fields=VARIANT_UPDATE_FIELDS,
        )
    touched |= {ids[slug] for slug in changed_slugs}
    if touched:
        refresh_product_summaries(tenant=tenant, product_ids=sorted(touched))
        refresh_sale_percentages(tenant=tenant, product_ids=sorted(touched))  # new or moved products
        search.refresh_search_vectors(tenant_id=tenant.pk, product_ids=sorted(touched))


def _create_categories(*, tenant, parsed: list[ParsedRow], resolver: CategoryResolver, result: ImportResult):
    """Create the categories the rows name that do not exist yet and give the rows their ids."""
    paths = {row.category_path for row in parsed if row.category_path}
    if not paths:
        return parsed
    try:
        ids = resolver.create_missing(paths)
    except ApplicationError as exc:  # a rule of create_category the row checks did not foresee
        for row in parsed:
            if row.category_path:
                result.errors.append(RowError(row.line, "category", exc.message))
        return [row for row in parsed if not row.category_path]
    result.categories_created = len(ids)
    for row in parsed:
        if row.category_path:
            row.product["category_id"] = ids[row.category_path]
    return parsed


def _image_work(*, tenant, parsed: list[ParsedRow]) -> list[list]:
    """``[line, product_id, url]`` for every image URL of the written rows (deduplicated per product)."""
    slugs = {row.product["slug"] for row in parsed if row.image_urls}
    if not slugs:
        return []
    ids = dict(Product.objects.for_tenant(tenant).filter(slug__in=slugs).values_list("slug", "id"))
    seen, work = set(), []
    for row in parsed:
        for url in row.image_urls:
            key = (ids[row.product["slug"]], url)
            if key not in seen:
                seen.add(key)
                work.append([row.line, key[0], url])
    return work


def import_rows(
    *, tenant, data: bytes, mode: str, job_id: int | None = None, options: ImportOptions | None = None
) -> ImportResult:
    """Validate and import CSV bytes. ``mode`` "skip" imports the good rows and reports the bad;
    "atomic" imports nothing if any row is bad. File-level problems (encoding, header, quoting)
    import nothing in either mode. ``options``: dialect overrides and "create missing categories"
    (``csv_dialect.ImportOptions``). Image URLs are not fetched here: ``result.images`` lists them."""
    options = options or ImportOptions()
    result = ImportResult()
    file = read_csv(data, options)
    result.dialect, result.total = file.dialect, len(file.rows)
    if file.fatal:
        result.errors.extend(file.errors)
        result.fatal = True
        return result
    if job_id:
        set_progress(job_id, 0, result.total, "validating")
    resolver = CategoryResolver(tenant=tenant, create=options.create_categories)
    parsed = validate_rows(
        tenant=tenant,
        columns=file.columns,
        rows=file.rows,
        errors=result.errors,
        dialect=file.dialect,
        categories=resolver,
    )
    if mode == ImportMode.ATOMIC and result.errors:
        result.fatal = True
        return result
    done = len({e.row for e in result.errors})
    if mode == ImportMode.ATOMIC:
        with transaction.atomic():
            parsed = _create_categories(tenant=tenant, parsed=parsed, resolver=resolver, result=result)
            for start in range(0, len(parsed), CHUNK):
                chunk = parsed[start : start + CHUNK]
                write_chunk(tenant=tenant, rows=chunk, result=result)
                done += len(chunk)
                if job_id:
                    set_progress(job_id, done, result.total, "writing")
            catalog_changed(tenant_id=tenant.pk, reindex=False)
    else:
        with transaction.atomic():
            parsed = _create_categories(tenant=tenant, parsed=parsed, resolver=resolver, result=result)
        for start in range(0, len(parsed), CHUNK):
            chunk = parsed[start : start + CHUNK]
            with transaction.atomic():
                write_chunk(tenant=tenant, rows=chunk, result=result)
                catalog_changed(tenant_id=tenant.pk, reindex=False)
            done += len(chunk)
            if job_id:
                set_progress(job_id, done, result.total, "writing")
    result.images = _image_work(tenant=tenant, parsed=parsed)
    return result


def run_import_job(*, tenant_id: int, job_id: int) -> CatalogJob | None:
    """Run an import job (idempotent: a finished job is left alone; a re-run upserts again)."""
    job = CatalogJob.objects.for_tenant(tenant_id).select_related("tenant").filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    CatalogJob.objects.for_tenant(tenant_id).filter(pk=job_id).update(status=JobStatus.RUNNING)
    with job.source.open("rb") as fh:
        data = fh.read()
    options = options_from_params(job.params)
    result = import_rows(tenant=job.tenant, data=data, mode=job.mode, job_id=job.pk, options=options)
    job.total_rows = result.total
    job.done_rows = result.total
    job.created_count, job.updated_count, job.unchanged_count = result.created, result.updated, result.unchanged
    job.error_count = len(result.errors)
    job.status = JobStatus.FAILED if result.fatal else JobStatus.DONE
    if result.fatal and job.mode == ImportMode.ATOMIC and result.total and not any(e.row == 1 for e in result.errors):
        job.message = "Nothing was imported: fix the rows in the error report (all-or-nothing mode)."
    elif result.fatal:
        job.message = "Nothing was imported: " + result.errors[0].message
    else:
        job.message = (
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len({e.row for e in result.errors})} rows skipped."
        )
        if result.categories_created:
            job.message += f" {result.categories_created} categories created."
    job.message = job.message[:500]
    job.params = {**(job.params or {}), "skipped_rows": len({e.row for e in result.errors})}
    if result.dialect:
        job.params["dialect"] = result.dialect.describe()
    if result.images:
        job.params["images"] = {"work": result.images, "total": len(result.images), "fetched": 0, "failed": 0}
    if result.errors:
        job.result.save(f"import-{job.pk}-errors.csv", ContentFile(error_report_csv(result.errors)), save=False)
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save()
        if result.images:
            enqueue_task("catalog.fetch_import_images", tenant_id=job.tenant_id, job_id=job.pk)
    return job


def max_import_bytes() -> int:
    """The largest CSV upload accepted (``CATALOG_MAX_IMPORT_BYTES``); larger is 413."""
    return settings.CATALOG_MAX_IMPORT_BYTES


def start_import(*, tenant, user, upload, mode: str, options: ImportOptions | None = None) -> CatalogJob:
    """Store an uploaded CSV and queue its import; checks size (413) and mode. ``options`` (dialect
    overrides, "create missing categories") are kept in ``job.params["options"]``."""
    if upload is None:
        raise Invalid({"file": ["Required."]}, message="Choose a CSV file.")
    limit = max_import_bytes()
    if upload.size > limit:
        raise ApplicationError(
            f"The file is larger than {limit // (1024 * 1024)} MB.", code=ErrorCode.PAYLOAD_TOO_LARGE, status=413
        )
    if mode not in ImportMode.values:
        raise Invalid({"mode": ["Invalid."]}, message="Choose an import mode.")
    with transaction.atomic():
        params = {"options": (options or ImportOptions()).to_params()}
        job = CatalogJob(tenant=tenant, kind="import", mode=mode, created_by=user if user else None, params=params)
        job.source.save(f"import-{tenant.pk}.csv", upload, save=False)
        job.save()
        job_id = job.pk
        enqueue_task("catalog.import_products", tenant_id=tenant.pk, job_id=job_id)
    return job
