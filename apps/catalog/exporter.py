"""CSV export of products (one row per variant) in the import's format: an export re-imports
unchanged. The columns and the fields they are read from are one table, ``EXPORT_FIELDS``."""

from __future__ import annotations

import io
import tempfile

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from apps.catalog.csv_rows import format_pairs
from apps.catalog.filters import parse_product_filters
from apps.catalog.job_progress import set_progress
from apps.catalog.models import CatalogJob, JobStatus, Variant
from apps.catalog.selectors import filter_products
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
EXPORT_COLUMNS = tuple(EXPORT_FIELDS)
PAIR_COLUMNS = ("options", "attributes")
FILTER_PARAMS = ("q", "category", "status", "in_stock", "price_min", "price_max")


def export_cells(row: dict) -> list:
    """One exported variant's cells, in ``EXPORT_COLUMNS`` order, as the importer reads them."""
    return [
        format_pairs(row[column]) if column in PAIR_COLUMNS else ("" if row[column] is None else row[column])
        for column in EXPORT_COLUMNS
    ]


def run_export_job(*, tenant_id: int, job_id: int) -> CatalogJob | None:
    """Write the CSV of the job's filtered products (one row per variant); idempotent."""
    job = CatalogJob.objects.for_tenant(tenant_id).select_related("tenant").filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    tenant = job.tenant
    CatalogJob.objects.for_tenant(tenant_id).filter(pk=job_id).update(status=JobStatus.RUNNING)
    filters = parse_product_filters(job.params or {})
    product_ids = filter_products(tenant=tenant, filters=filters, public=False).values("id")
    variants = (
        Variant.objects.for_tenant(tenant)
        .filter(product_id__in=product_ids)
        .order_by("product_id", "position", "id")
        .values_list(*EXPORT_FIELDS.values())
    )
    count = 0
    with tempfile.TemporaryFile("w+b") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv_safe.writer(text)
        writer.writerow(EXPORT_COLUMNS)
        for values in variants.iterator(chunk_size=2000):
            writer.writerow(export_cells(dict(zip(EXPORT_COLUMNS, values, strict=True))))
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
    """Queue a CSV export of the products matching ``params`` (the console's filters)."""
    keep = {k: v for k, v in params.items() if k in FILTER_PARAMS}
    keep.update({k: v for k, v in params.items() if k.startswith("attr_")})
    with transaction.atomic():
        job = CatalogJob.objects.create(tenant=tenant, kind="export", created_by=user if user else None, params=keep)
        job_id = job.pk
        enqueue_task("catalog.export_products", tenant_id=tenant.pk, job_id=job_id)
    return job
