"""Celery tasks of the catalog: take ids, call a service, safe to retry."""

from __future__ import annotations

from celery import shared_task

from apps.catalog.images import make_thumbnails
from apps.catalog.import_images import fetch_import_images
from apps.catalog.importer import run_export_job, run_import_job
from apps.catalog.search import refresh_search_vectors
from apps.catalog.services import fail_job
from apps.core.failures import on_final_failure


@shared_task(name="catalog.refresh_search")
def refresh_search_task(*, tenant_id: int, product_ids: list[int] | None = None) -> int:
    """Recompute search vectors of the given products (all of the tenant's if None)."""

    return refresh_search_vectors(tenant_id=tenant_id, product_ids=product_ids)


@shared_task(name="catalog.make_thumbnails")
def make_thumbnails_task(*, tenant_id: int, image_id: int) -> dict:
    """Make the WebP thumbnails of an uploaded image."""

    return make_thumbnails(tenant_id=tenant_id, image_id=image_id)


@shared_task(name="catalog.import_products")
def import_products_task(*, tenant_id: int, job_id: int) -> str | None:
    """Run a CSV import job."""

    job = run_import_job(tenant_id=tenant_id, job_id=job_id)
    return job.status if job else None


@shared_task(name="catalog.fetch_import_images")
def fetch_import_images_task(*, tenant_id: int, job_id: int) -> dict:
    """Fetch the image URLs of an import job's committed rows; failures go to its error report."""

    return fetch_import_images(tenant_id=tenant_id, job_id=job_id)


@shared_task(name="catalog.export_products")
def export_products_task(*, tenant_id: int, job_id: int) -> str | None:
    """Run a CSV export job."""

    job = run_export_job(tenant_id=tenant_id, job_id=job_id)
    return job.status if job else None


@on_final_failure("catalog.import_products")
@on_final_failure("catalog.export_products")
def mark_job_failed(kwargs: dict, message: str) -> None:
    """A job whose task failed for good is ``failed`` with the reason, never "running" forever."""

    if "tenant_id" in kwargs and "job_id" in kwargs:
        fail_job(tenant_id=kwargs["tenant_id"], job_id=kwargs["job_id"], message=message)
