"""Issue 13, item 10: a CSV import is previewed before it runs — the first rows as read, each
with its errors, honest counts, every problem downloadable — and only then imported; a template
CSV to fill in imports cleanly."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog import import_preview
from apps.catalog.models import CatalogJob, Product, Variant
from tests.catalog.factories import make_category
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

CSV = (
    "sku,name,price,stock,category\n"
    "A-1,Lamp,10.00,1,lamps\n"
    "A-2,Lamp,-3,1,lamps\n"
    "A-3,Chair,12.00,2,nowhere\n"
    "A-4,Table,40.00,1,\n"
)


def base(tenant):
    return f"/a/{tenant.slug}/catalog/import/"


@pytest.fixture
def editor(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    return client


def upload(editor, tenant, text=CSV, mode="skip"):
    file = SimpleUploadedFile("products.csv", text.encode(), content_type="text/csv")
    return editor.post(f"{base(tenant)}preview", {"file": file, "mode": mode})


def test_preview_shows_rows_with_their_errors_and_writes_nothing(editor, tenant, django_capture_on_commit_callbacks):
    make_category(tenant, "Lamps", slug="lamps")
    response = upload(editor, tenant)
    assert response.status_code == 302
    token = re.search(r"/preview/([0-9a-f]{32})/", response["Location"]).group(1)
    body = editor.get(response["Location"]).content.decode()
    assert "4 rows</strong>:\n  2 ready to import, <strong>2 with errors</strong>" in body
    assert "Must be zero or more." in body and "Unknown category: nowhere." in body
    rows = re.findall(r'<tr( class="row-invalid")?><th scope="row">(\d+)</th>', body)
    assert [(bool(bad), int(line)) for bad, line in rows] == [(False, 2), (True, 3), (True, 4), (False, 5)]
    assert Product.objects.for_tenant(tenant).count() == 0 and CatalogJob.objects.for_tenant(tenant).count() == 0
    report = editor.get(f"{base(tenant)}preview/{token}/errors.csv")
    assert report["Content-Disposition"].startswith("attachment")
    lines = list(csv.reader(io.StringIO(report.content.decode())))
    assert lines[0] == ["row", "column", "message"] and ["3", "price", "Must be zero or more."] in lines
    # then import: the job runs (eager Celery in tests) and skips the two bad rows
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"{base(tenant)}preview/{token}/", {"mode": "skip"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    assert set(Variant.objects.for_tenant(tenant).values_list("sku", flat=True)) == {"A-1", "A-4"}
    assert editor.get(f"{base(tenant)}preview/{token}/").status_code == 404  # used up


def test_file_level_problems_are_shown_and_nothing_can_be_imported(editor, tenant):
    response = upload(editor, tenant, "sku,title,price\nA,B,1\n")
    body = editor.get(response["Location"]).content.decode()
    assert "This file cannot be imported." in body and "Missing required column &#x27;name&#x27;." in body
    assert 'type="radio" name="mode"' not in body and ">Import</button>" not in body


def test_template_csv_imports_cleanly(editor, tenant):
    response = editor.get(f"{base(tenant)}template.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    token = import_preview.store_preview_upload(
        tenant=tenant, upload=SimpleUploadedFile("t.csv", response.content, "text/csv")
    )
    preview = import_preview.preview_import(tenant=tenant, token=token)
    assert (preview.total_rows, preview.bad_rows, preview.fatal) == (3, 0, False)
    assert preview.columns[:3] == ["sku", "name", "price"]


@pytest.mark.parametrize("bad", ["../../etc", "x" * 32, "dummy-value"], ids=["path", "unknown-token", "not-a-token"])
def test_a_bad_preview_token_is_404(editor, tenant, bad):
    assert editor.get(f"{base(tenant)}preview/{bad}/").status_code == 404


def test_previews_are_per_tenant_and_tokens_are_checked(editor, tenant, make_member, client):
    token = import_preview.store_preview_upload(
        tenant=tenant, upload=SimpleUploadedFile("p.csv", CSV.encode(), "text/csv")
    )
    other = TenantFactory()
    client.force_login(make_member(other, "owner"))
    assert client.get(f"/a/{other.slug}/catalog/import/preview/{token}/").status_code == 404
    client.force_login(make_member(tenant, "viewer"))
    assert client.get(f"{base(tenant)}preview/{token}/").status_code == 403
    assert client.get(f"{base(tenant)}template.csv").status_code == 403
