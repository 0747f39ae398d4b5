"""Order exports (CSV of the filtered list or its lines, in the background): the rows the list
shows, formula cells neutralised, amounts as numbers, progress and download in the console."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.errors import Invalid
from apps.orders import exports, services
from apps.orders.models import OrderExportJob
from tests.orders.conftest import ADDRESS, make_variant, ready_cart

pytestmark = pytest.mark.django_db


def place(tenant, method, variant, *, email, name=ADDRESS["name"], quantity=1):
    cart = ready_cart(tenant, method, [(variant, quantity)], email=email)
    services.update_checkout(tenant=tenant, cart=cart, data={"shipping_address": {**ADDRESS, "name": name}})
    cart.refresh_from_db()
    return services.place_order(tenant=tenant, cart=cart).order


def read_csv(job) -> list[list[str]]:
    job.refresh_from_db()
    with job.result.open("rb") as handle:
        return list(csv.reader(io.StringIO(handle.read().decode("utf-8"))))


@pytest.fixture
def two_orders(tenant, shop):
    evil = make_variant(tenant, price="10.00", stock=20, name='=HYPERLINK("http://evil.example","x")')
    plain = make_variant(tenant, price="3.50", stock=20, name="Tea towel")
    paid = place(tenant, shop, evil, email="mallory@example.com", name="@SUM(1+1)*cmd", quantity=2)
    services.record_payment_status(tenant=tenant, order_id=paid.pk, status="paid")
    unpaid = place(tenant, shop, plain, email="ada@example.com")
    return paid, unpaid


def test_orders_csv_of_the_filtered_list_neutralises_formulas(tenant, two_orders, django_capture_on_commit_callbacks):
    paid, _ = two_orders
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.start_order_export(tenant=tenant, user=None, kind="orders", params={"payment_status": "paid"})

    rows = read_csv(job)
    assert rows[0] == exports.ORDER_COLUMNS
    assert len(rows) == 2  # the filter holds: only the paid order
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["number"] == str(paid.number) and row["email"] == "mallory@example.com"
    assert row["name"] == "'@SUM(1+1)*cmd"  # a spreadsheet shows it as text, never runs it
    assert Decimal(row["total"]) == paid.total  # amounts stay plain numbers
    assert job.status == "done" and job.total_rows == 1
    assert exports.get_export_progress(job)["percent"] == 100


def test_lines_csv_has_every_line_with_the_formula_name_escaped(tenant, two_orders, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.start_order_export(tenant=tenant, user=None, kind="lines", params={})

    rows = read_csv(job)
    assert rows[0] == exports.LINE_COLUMNS and len(rows) == 3
    names = {r[4] for r in rows[1:]}
    assert names == {'\'=HYPERLINK("http://evil.example","x")', "Tea towel"}
    evil = next(r for r in rows[1:] if r[4].startswith("'="))
    assert (evil[6], Decimal(evil[12])) == ("2", Decimal("20.00"))


def test_unknown_kind_is_invalid_and_writes_nothing(tenant, shop):
    with pytest.raises(Invalid):
        exports.start_order_export(tenant=tenant, user=None, kind="everything", params={})
    assert not OrderExportJob.objects.for_tenant(tenant).exists()


def test_bad_filters_are_dropped_like_the_list_does():
    assert exports.clean_export_filters({"status": "nope", "from": "2026-13-45", "to": "2026-01-31", "q": "ada"}) == {
        "to": "2026-01-31",
        "q": "ada",
    }


def test_old_exports_are_deleted_with_their_files(tenant, two_orders, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.start_order_export(tenant=tenant, user=None, kind="orders", params={})
    job.refresh_from_db()
    storage, name = job.result.storage, job.result.name
    assert storage.exists(name)
    assert exports.delete_old_exports(now=timezone.now() + timedelta(hours=1)) == 0
    assert exports.delete_old_exports(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert not storage.exists(name) and not OrderExportJob.objects.for_tenant(tenant).exists()


def test_console_export_progress_and_download(
    client, tenant, two_orders, make_member, django_capture_on_commit_callbacks
):
    client.force_login(make_member(tenant, "viewer"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/a/{tenant.slug}/orders/export", {"kind": "orders", "status": "unfulfilled"})
    assert response.status_code == 302
    job_url = response["Location"]
    page = client.get(job_url).content.decode()
    assert "Done" in page and "Download the CSV" in page and "2 rows exported." in page
    download = client.get(job_url + "download")
    assert download.status_code == 200 and download["Content-Type"] == "text/csv"
    body = b"".join(download.streaming_content).decode()
    assert "mallory@example.com" in body and "ada@example.com" in body


def test_another_tenants_export_is_404(client, tenant, shop, make_member, django_capture_on_commit_callbacks):
    from tests.factories import TenantFactory

    other = TenantFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.start_order_export(tenant=other, user=None, kind="orders", params={})
    client.force_login(make_member(tenant, "owner"))
    assert client.get(f"/a/{tenant.slug}/orders/exports/{job.pk}/").status_code == 404
    assert client.get(f"/a/{tenant.slug}/orders/exports/{job.pk}/download").status_code == 404
