"""Issue 13, item 10: the export offers the import's dialects ("Excel Europe": semicolons, a BOM,
decimal comma) and writes each product's image URLs; either format re-imports unchanged, images
included (a product's own image URL is recognised, not fetched again)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog import images, importer
from apps.catalog.models import CatalogJob, ProductImage
from tests.catalog.factories import make_product, png_bytes

pytestmark = pytest.mark.django_db


def export(client, tenant, capture, **params):
    with capture(execute=True):
        client.post(f"/a/{tenant.slug}/catalog/export", params)
    job = CatalogJob.objects.for_tenant(tenant).filter(kind="export").first()
    assert job.status == "done"
    return b"".join(client.get(f"/a/{tenant.slug}/catalog/jobs/{job.pk}/download").streaming_content)


@pytest.mark.parametrize("fmt", ["standard", "excel-eu"])
def test_export_formats_reimport_unchanged_with_their_images(
    client, tenant, make_member, django_capture_on_commit_callbacks, settings, fmt
):
    client.force_login(make_member(tenant, "editor"))
    lamp = make_product(
        tenant, "Desk Lamp", variants=[{"sku": "L-1", "price": "1234.50"}, {"sku": "L-2", "price": "24.90"}]
    )
    with django_capture_on_commit_callbacks(execute=True):
        image = images.add_product_image(
            tenant=tenant, product=lamp, upload=SimpleUploadedFile("a.png", png_bytes(), "image/png")
        )
    body = export(client, tenant, django_capture_on_commit_callbacks, format=fmt)
    if fmt == "excel-eu":
        assert body.startswith(b"\xef\xbb\xbf")
        text = body.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
        assert [r["price"] for r in rows] == ["1234,50", "24,90"]
    else:
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        assert [r["price"] for r in rows] == ["1234.50", "24.90"]
    own_url = settings.SITE_URL.rstrip("/") + image.image.url
    assert [r["image_urls"] for r in rows] == [own_url, ""]  # on the product's first row
    job = importer.start_import(
        tenant=tenant, user=None, upload=SimpleUploadedFile("x.csv", body, "text/csv"), mode="skip"
    )
    with django_capture_on_commit_callbacks(execute=True):
        importer.run_import_job(tenant_id=tenant.pk, job_id=job.pk)
    job.refresh_from_db()
    assert (job.created_count, job.updated_count, job.unchanged_count, job.error_count) == (0, 0, 2, 0)
    assert job.params["images"]["fetched"] == 1 and ProductImage.objects.for_tenant(tenant).count() == 1
