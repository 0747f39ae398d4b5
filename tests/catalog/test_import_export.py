import csv
import io

import pytest

from apps.catalog import importer
from apps.catalog.models import CatalogJob, Product, Variant
from tests.catalog.factories import make_category, make_product

pytestmark = pytest.mark.django_db

GOOD = (
    "sku,name,slug,price,stock,status,category,options,attributes\n"
    "TEE-S,Tee,tee,10.00,5,published,shirts,size=S,brand=Acme\n"
    "TEE-M,Tee,tee,12.00,0,published,shirts,size=M,brand=Acme\n"
    "MUG-1,Mug,,4.50,3,draft,,,\n"
)


def run(tenant, text, mode="skip"):
    return importer.import_rows(tenant=tenant, data=text.encode() if isinstance(text, str) else text, mode=mode)


def test_import_creates_and_second_run_changes_nothing(tenant):
    make_category(tenant, "Shirts")
    first = run(tenant, GOOD)
    assert (first.created, first.updated, first.unchanged, first.errors) == (3, 0, 0, [])
    tee = Product.objects.for_tenant(tenant).get(slug="tee")
    assert tee.variants.count() == 2 and str(tee.price_min) == "10.00" and tee.stock_total == 5
    assert tee.attributes == {"brand": "Acme"} and tee.category.slug == "shirts"
    stamp = tee.updated_at
    second = run(tenant, GOOD)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    tee.refresh_from_db()
    assert tee.updated_at == stamp
    third = run(tenant, GOOD.replace("TEE-M,Tee,tee,12.00", "TEE-M,Tee,tee,13.00"))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    from apps.catalog import selectors
    from apps.catalog.filters import parse_product_filters

    hits = selectors.search_products(tenant=tenant, filters=parse_product_filters({"q": "TEE-M"}), public=False)
    assert [p.slug for p in hits] == ["tee"]


BAD_ROWS = (
    "sku,name,price,currency,category,description\n"
    "OK-1,Fine,1.00,EUR,,\n"
    "BAD-1,Negative,-1,EUR,,\n"
    "BAD-2,Word,abc,EUR,,\n"
    "OK-1,Dup,2.00,EUR,,\n"
    "BAD-3,Dollar,1.00,USD,,\n"
    "BAD-4,Lost,1.00,EUR,nowhere,\n"
    f"BAD-5,Long,1.00,EUR,,{'x' * 20001}\n"
    ",NoSku,1.00,EUR,,\n"
)


def test_bad_rows_skip_mode_reports_each(tenant):
    result = run(tenant, BAD_ROWS)
    assert result.created == 1 and not result.fatal
    by_row = {(e.row, e.column) for e in result.errors}
    assert by_row == {
        (3, "price"),
        (4, "price"),
        (5, "sku"),
        (6, "currency"),
        (7, "category"),
        (8, "description"),
        (9, "sku"),
    }
    report = list(csv.reader(io.StringIO(importer.error_report_csv(result.errors).decode())))
    assert report[0] == ["row", "column", "message"] and len(report) == 8
    assert Variant.objects.for_tenant(tenant).count() == 1


def test_bad_rows_atomic_mode_writes_nothing(tenant):
    result = run(tenant, BAD_ROWS, mode="atomic")
    assert result.fatal and result.created == 0
    assert not Product.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"sku,name,price\nA,Caf\x81,1\n", "not UTF-8 or Windows-1252"),
        ("name,price\nA,1\n", "Missing required column 'sku'"),
        ("sku,name,price,colour\nA,B,1,red\n", "Unknown column 'colour'"),
        ('sku,name,price\nA,"broken,1\nB,C,2\n', "Broken CSV quoting"),
        ("sku,name,price\nA,B,1,extra\n", "the header has 3"),
        ("", "empty"),
    ],
)
def test_file_level_problems(tenant, data, needle):
    result = run(tenant, data)
    assert any(needle in e.message for e in result.errors), result.errors
    assert not Product.objects.for_tenant(tenant).exists()


def test_job_through_console_progress_report_and_export(
    client, tenant, make_member, django_capture_on_commit_callbacks
):
    client.force_login(make_member(tenant, "editor"))
    upload = io.BytesIO(BAD_ROWS.encode())
    upload.name = "products.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/a/{tenant.slug}/catalog/import/", {"file": upload, "mode": "skip"})
    assert response.status_code == 302
    job = CatalogJob.objects.for_tenant(tenant).get()
    assert job.status == "done" and job.total_rows == 8 and job.error_count == 7
    page = client.get(response["Location"]).content.decode()
    assert 'Rows done: <span class="rows-done">8</span> of <span class="rows-total">8</span>' in page
    assert "hx-trigger" not in page  # finished: no more polling
    report = client.get(f"/a/{tenant.slug}/catalog/jobs/{job.pk}/download")
    assert report["Content-Disposition"].startswith("attachment")
    assert b"row,column,message" in b"".join(report.streaming_content)
    make_product(tenant, "Exported Lamp", variants=[{"sku": "LAMP-9", "price": "3", "options": {"size": "s"}}])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/a/{tenant.slug}/catalog/export", {"q": "lamp"})
    export = CatalogJob.objects.for_tenant(tenant).get(kind="export")
    assert export.status == "done" and export.total_rows == 1
    body = b"".join(client.get(f"/a/{tenant.slug}/catalog/jobs/{export.pk}/download").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["sku"] == "LAMP-9" and rows[0]["options"] == "size=s"
    # the export re-imports unchanged
    again = run(tenant, body)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 1, [])


def test_pending_job_polls(client, tenant, make_member):
    client.force_login(make_member(tenant, "viewer"))
    job = CatalogJob.objects.create(tenant=tenant, kind="import", total_rows=10)
    importer.set_progress(job.pk, 4, 10, "writing")
    page = client.get(f"/a/{tenant.slug}/catalog/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="40"' in page


def test_atomic_mode_imports_when_all_rows_are_good(tenant):
    make_category(tenant, "Shirts")
    result = run(tenant, GOOD, mode="atomic")
    assert (result.created, result.errors, result.fatal) == (3, [], False)
    assert Product.objects.for_tenant(tenant).count() == 2


def test_sku_moving_between_products_and_product_field_change(tenant):
    run(tenant, "sku,name,slug,price\nA-1,First,first,1.00\n")
    result = run(tenant, "sku,name,slug,price\nA-1,Second,second,1.00\n")
    assert result.updated == 1
    assert Variant.objects.for_tenant(tenant).get(sku="A-1").product.slug == "second"
    result = run(tenant, "sku,name,slug,price,description\nA-1,Second,second,1.00,now described\n")
    assert (result.updated, result.unchanged) == (1, 0)


@pytest.mark.django_db
def test_an_import_whose_task_dies_for_good_is_failed_with_a_message(tenant):
    """Not "running" forever: the task's final failure marks the job and leaves a FailedTask row."""
    from apps.catalog.tasks import import_products_task
    from apps.core.models import FailedTask

    job = CatalogJob.objects.create(tenant=tenant, kind="import", mode="skip", source="catalog/imports/gone.csv")
    # throw=False: run the failure path a worker runs (eager tasks otherwise re-raise in tests).
    result = import_products_task.apply(kwargs={"tenant_id": tenant.pk, "job_id": job.pk}, throw=False)
    assert result.failed()
    job.refresh_from_db()
    assert job.status == "failed" and job.message.startswith("The job stopped: FileNotFoundError")
    assert job.finished_at is not None
    failed = FailedTask.objects.get(task_name="catalog.import_products")
    assert failed.kwargs == {"tenant_id": tenant.pk, "job_id": job.pk} and failed.exception == "FileNotFoundError"
