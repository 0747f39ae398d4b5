"""The images of an import: after its rows have committed, a task (``catalog.fetch_import_images``)
fetches each ``image_urls`` entry (``image_fetch.fetch_image``: no private addresses, size, time
and type limits), checks it as an upload (``images.check_image_upload``: format, pixels,
decompression bombs) and adds it to the product. A URL that fails is a line of the import's error
report (``row, image_urls, message``); the row itself stays imported. Idempotent: a URL already
on the product (``ProductImage.source_url``) is not fetched again, and a re-run rewrites the
report's image lines instead of adding to them.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog import images
from apps.catalog.csv_rows import RowError, error_report_csv
from apps.catalog.image_fetch import ImageFetchError, fetch_image
from apps.catalog.models import CatalogJob, Product, ProductImage
from apps.core.errors import ApplicationError

COLUMN = "image_urls"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


def image_reference(image: ProductImage) -> str:
    """The URL an export writes for an image: where it was imported from, else its own absolute URL.
    Importing either back onto the same product fetches nothing."""
    return image.source_url or settings.SITE_URL.rstrip("/") + image.image.url


def _fetch_message(url: str, message: str) -> str:
    return f"{url[:100]}: {message}"


def _report_rows(job: CatalogJob, urls: set[str]) -> list[RowError]:
    """The job's error report without the lines of an earlier fetch (those are written again);
    the row checks' own ``image_urls`` lines (a bad URL in the cell) stay."""
    if not job.result:
        return []
    prefixes = tuple(_fetch_message(url, "") for url in urls)
    with job.result.open("rb") as fh:
        reader = csv.DictReader(io.StringIO(fh.read().decode("utf-8")))
        return [
            RowError(int(row["row"]), row["column"], row["message"])
            for row in reader
            if not (row["column"] == COLUMN and row["message"].startswith(prefixes))
        ]


def add_image_from_url(*, tenant, product: Product, url: str) -> ProductImage:
    """Fetch ``url`` and add it as ``product``'s next image (``ImageFetchError``/``ApplicationError``)."""
    body, content_type = fetch_image(url)
    upload = SimpleUploadedFile(f"import.{EXTENSIONS[content_type]}", body, content_type)
    return images.add_product_image(tenant=tenant, product=product, upload=upload, source_url=url)


def fetch_import_images(*, tenant_id: int, job_id: int) -> dict:
    """Fetch the job's image URLs (``job.params["images"]["work"]``), report failures per row."""
    job = CatalogJob.objects.for_tenant(tenant_id).select_related("tenant").filter(pk=job_id).first()
    state = (job.params or {}).get("images") if job else None
    if not state:
        return {}
    tenant = job.tenant
    products = Product.objects.for_tenant(tenant).in_bulk({product_id for _, product_id, _ in state["work"]})
    have = {
        (image.product_id, image_reference(image))
        for image in ProductImage.objects.for_tenant(tenant).filter(product_id__in=list(products))
    }
    errors: list[RowError] = []
    fetched = 0
    for line, product_id, url in state["work"]:
        product = products.get(product_id)
        if product is None:
            continue  # deleted since the import
        if (product_id, url) in have:
            fetched += 1
            continue
        try:
            add_image_from_url(tenant=tenant, product=product, url=url)
        except ImageFetchError as exc:
            errors.append(RowError(line, COLUMN, _fetch_message(url, str(exc))))
        except ApplicationError as exc:
            errors.append(RowError(line, COLUMN, _fetch_message(url, exc.message)))
        else:
            have.add((product_id, url))
            fetched += 1
    report = _report_rows(job, {url for _, _, url in state["work"]}) + errors
    state.update(fetched=fetched, failed=len(errors), finished=True)
    job.params = {**job.params, "images": state}
    job.error_count = len(report)
    if job.result:
        job.result.delete(save=False)
    if report:
        job.result.save(f"import-{job.pk}-errors.csv", ContentFile(error_report_csv(report)), save=False)
    job.save(update_fields=["params", "error_count", "result"])
    return {"fetched": fetched, "failed": len(errors)}
