"""CSV export of products (one row per variant) in the import's format: an export re-imports
unchanged. The columns and the fields they are read from are one table, ``EXPORT_FIELDS``; the
product's ``image_urls`` (``import_images.image_reference``, ``|``-separated) are on its first row.
``EXPORT_FORMATS``: ``standard`` (comma, UTF-8, decimal point) or ``excel-eu`` (semicolon, UTF-8
with a BOM, decimal comma: what Excel in most of Europe opens as columns)."""

from __future__ import annotations

import io
import tempfile

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from apps.catalog.csv_rows import format_pairs
from apps.catalog.filters import parse_product_filters
from apps.catalog.import_images import image_reference
from apps.catalog.job_progress import set_progress
from apps.catalog.models import CatalogJob, JobStatus, ProductImage, Variant
from apps.catalog.selectors import filter_products
from apps.catalog.validation import IMAGE_URL_SEPARATOR
from apps.core import csv_safe
from apps.core.outbox import enqueue_task

# CSV column -> the variant field (``values_list`` path) it is read from, in column order.
EXPORT_FIELDS: dict[str, str] = {
    "sku": "sku",
    "name": "product__name",
    "slug": "product__slug",
    "status": "product__status",
    "category": "product__category__slug",
    "price": "price",
    "compare_at_price": "compare_at_price",
    "currency": "currency",
    "stock": "stock",
    "low_stock_threshold": "low_stock_threshold",
    "options": "options",
    "attributes": "product__attributes",
    "description": "product__description",
    "seo_title": "product__seo_title",
    "seo_description": "product__seo_description",
}
EXPORT_COLUMNS = (*EXPORT_FIELDS, "image_urls")
PAIR_COLUMNS = ("options", "attributes")
PRICE_COLUMNS = ("price", "compare_at_price")
FILTER_PARAMS = ("q", "category", "status", "in_stock", "price_min", "price_max")
# format -> (delimiter, text prefix (BOM), decimal separator)
EXPORT_FORMATS = {"standard": (",", "", "."), "excel-eu": (";", "\ufeff", ",")}


def export_cells(row: dict, decimal: str = ".") -> list:
    """One exported variant's cells, in ``EXPORT_COLUMNS`` order, as the importer reads them."""
    cells = []
    for column in EXPORT_COLUMNS:
        value = row.get(column)
        if column in PAIR_COLUMNS:
            value = format_pairs(value)
        elif value is None:
            value = ""
        elif column in PRICE_COLUMNS:
            value = str(value).replace(".", decimal)
        cells.append(value)
    return cells


def product_image_urls(*, tenant, product_ids) -> dict[int, str]:
    """``product_id -> "url|url"`` of the products' images, in their order."""
    urls: dict[int, list[str]] = {}
    for image in ProductImage.objects.for_tenant(tenant).filter(product_id__in=product_ids).order_by("position", "id"):
        urls.setdefault(image.product_id, []).append(image_reference(image))
    return {product_id: IMAGE_URL_SEPARATOR.join(items) for product_id, items in urls.items()}


def run_export_job(*, tenant_id: int, job_id: int) -> CatalogJob | None:
    """Write the CSV of the job's filtered products (one row per variant); idempotent."""
    job = CatalogJob.objects.for_tenant(tenant_id).select_related("tenant").filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    tenant = job.tenant
    CatalogJob.objects.for_tenant(tenant_id).filter(pk=job_id).update(status=JobStatus.RUNNING)
    params = job.params or {}
    delimiter, prefix, decimal = EXPORT_FORMATS.get(params.get("format"), EXPORT_FORMATS["standard"])
    filters = parse_product_filters({k: v for k, v in params.items() if k != "format"})
    product_ids = filter_products(tenant=tenant, filters=filters, public=False).values("id")
    images = product_image_urls(tenant=tenant, product_ids=product_ids)
    variants = (
        Variant.objects.for_tenant(tenant)
        .filter(product_id__in=product_ids)
        .order_by("product_id", "position", "id")
        .values_list("product_id", *EXPORT_FIELDS.values())
    )
    count, last_product = 0, None
    with tempfile.TemporaryFile("w+b") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        text.write(prefix)
        writer = csv_safe.writer(text, delimiter=delimiter)
        writer.writerow(EXPORT_COLUMNS)
        for product_id, *values in variants.iterator(chunk_size=2000):
            row = dict(zip(EXPORT_FIELDS, values, strict=True))
            if product_id != last_product:
                row["image_urls"], last_product = images.get(product_id, ""), product_id
            writer.writerow(export_cells(row, decimal))
            count += 1
            if count % 5000 == 0:
                set_progress(job.pk, count, 0, "writing")
        text.flush()
        raw.seek(0)
        job.result.save(f"export-{job.pk}.csv", File(raw), save=False)
        text.detach()
    job.total_rows = job.done_rows = count
    job.status = JobStatus.DONE
    job.message = f"{count} rows exported."
    job.finished_at = timezone.now()
    job.save()
    return job


def start_export(*, tenant, user, params: dict) -> CatalogJob:
    """Queue a CSV export of the products matching ``params`` (the console's filters, and
    ``format``: one of ``EXPORT_FORMATS``, default ``standard``)."""
    keep = {k: v for k, v in params.items() if k in FILTER_PARAMS}
    keep.update({k: v for k, v in params.items() if k.startswith("attr_")})
    if params.get("format") in EXPORT_FORMATS:
        keep["format"] = params["format"]
    with transaction.atomic():
        job = CatalogJob.objects.create(tenant=tenant, kind="export", created_by=user if user else None, params=keep)
        job_id = job.pk
        enqueue_task("catalog.export_products", tenant_id=tenant.pk, job_id=job_id)
    return job
