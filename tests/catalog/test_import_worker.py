"""With a real Celery worker (not eager): an Excel-EU import that creates its categories runs in
the background, and its image URLs are fetched by the follow-up task after the rows committed
(the worker is started with ``CATALOG_IMAGE_FETCH_ALLOW_PRIVATE`` so it may reach the local
image host on 127.0.0.1)."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.catalog import importer
from apps.catalog.csv_dialect import ImportOptions
from apps.catalog.models import CatalogJob, Category, ProductImage, Variant
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def worker_may_fetch_loopback():
    """Set before the module's worker starts (autouse fixtures of a scope come first)."""
    saved = os.environ.get("CATALOG_IMAGE_FETCH_ALLOW_PRIVATE")
    os.environ["CATALOG_IMAGE_FETCH_ALLOW_PRIVATE"] = "true"
    yield
    if saved is None:
        os.environ.pop("CATALOG_IMAGE_FETCH_ALLOW_PRIVATE", None)
    else:
        os.environ["CATALOG_IMAGE_FETCH_ALLOW_PRIVATE"] = saved


def test_excel_eu_import_with_categories_and_images_on_a_worker(tenant, real_worker, image_host):
    text = (
        "sku;name;price;category;image_urls\r\n"
        f"LAMP-1;Lampe Zürich;24,90;Wohnen > Lampen;{image_host}/red.png|{image_host}/gone.png\r\n"
    )
    upload = SimpleUploadedFile("eu.csv", b"\xef\xbb\xbf" + text.encode(), "text/csv")
    options = ImportOptions(create_categories=True)
    with transaction.atomic():
        job = importer.start_import(tenant=tenant, user=None, upload=upload, mode="skip", options=options)

    def images_done():
        row = CatalogJob.objects.for_tenant(tenant).get(pk=job.pk)
        return row.status == "done" and (row.params.get("images") or {}).get("finished")

    assert wait_for(images_done, timeout=40), real_worker.log()[-2000:]
    job.refresh_from_db()
    variant = Variant.objects.for_tenant(tenant).select_related("product__category__parent").get(sku="LAMP-1")
    assert str(variant.price) == "24.90"
    assert (variant.product.category.name, variant.product.category.parent.name) == ("Lampen", "Wohnen")
    assert Category.objects.for_tenant(tenant).count() == 2
    assert list(ProductImage.objects.for_tenant(tenant).values_list("source_url", flat=True)) == [
        f"{image_host}/red.png"
    ]
    assert job.params["images"] | {"work": None} == {
        "work": None,
        "total": 2,
        "fetched": 1,
        "failed": 1,
        "finished": True,
    }
    assert job.error_count == 1 and "2 categories created." in job.message
