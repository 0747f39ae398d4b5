"""The staff order exports and customers API: an export of the filtered list or its lines (202,
poll, download), the list's filters refused in the error shape, customers keyset-paged with their
figures, a customer's detail, roles, and another shop's jobs and customers never reached."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from rest_framework.test import APIClient

from apps.orders import exports, services
from apps.orders.models import OrderExportJob
from tests.api_helpers import assert_error
from tests.factories import TenantFactory
from tests.orders.conftest import make_variant, ready_cart

pytestmark = pytest.mark.django_db
ROLES = ["viewer", "analyst", "editor", "admin", "owner"]
NAMES = itertools.count(1)


@pytest.fixture
def api():
    return APIClient()


def base(tenant):
    return f"/api/v1/t/{tenant.slug}"


def place(tenant, method, email, price="10.00", quantity=1):
    cart = ready_cart(
        tenant,
        method,
        [(make_variant(tenant, price=price, stock=50, name=f"Item {next(NAMES)}"), quantity)],
        email=email,
    )
    return services.place_order(tenant=tenant, cart=cart).order


@pytest.fixture
def orders(tenant, shop):
    """Four orders: ada twice (one paid), bob once (paid), cy once."""
    placed = [
        place(tenant, shop, "ada@example.com", "10.00"),
        place(tenant, shop, "bob@example.com", "20.00"),
        place(tenant, shop, "cy@example.com", "5.00"),
        place(tenant, shop, "ada@example.com", "7.00"),
    ]
    for order in (placed[1], placed[3]):
        services.record_payment_status(tenant=tenant, order_id=order.pk, status="paid")
    return placed


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("role", ROLES)
def test_export_then_poll_then_download(api, tenant, orders, make_member, role, django_capture_on_commit_callbacks):
    api.force_authenticate(make_member(tenant, role))
    with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes after commit; eager here
        response = api.post(
            f"{base(tenant)}/orders/exports/", {"kind": "orders", "payment_status": "paid"}, format="json"
        )
    assert response.status_code == 202, response.json()
    job = response.json()
    assert job["kind"] == "orders" and job["filters"] == {"payment_status": "paid"}
    assert response["Location"].endswith(f"{base(tenant)}/orders/exports/{job['id']}/")

    polled = api.get(response["Location"]).json()
    assert polled["status"] == "done" and polled["progress"] == {"done": 2, "total": 2, "percent": 100}
    assert polled["total_rows"] == 2 and polled["finished_at"]
    download = api.get(polled["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "text/csv"
    rows = read_csv(download)
    assert rows[0] == exports.ORDER_COLUMNS
    assert sorted(row[0] for row in rows[1:]) == sorted(str(o.number) for o in (orders[1], orders[3]))


def test_lines_export_with_dates_and_a_pending_job(api, tenant, orders, make_member):
    api.force_authenticate(make_member(tenant, "viewer"))
    day = orders[0].created_at.date().isoformat()
    body = {"kind": "lines", "q": "ada@", "created_from": day, "created_to": day, "status": ""}
    response = api.post(f"{base(tenant)}/orders/exports/", body, format="json")
    assert response.status_code == 202
    job = response.json()  # no commit here: the task has not run
    assert job["status"] == "pending" and job["download_url"] is None
    assert job["filters"] == {"q": "ada@", "created_from": day, "created_to": day}
    assert_error(api.get(f"{base(tenant)}/orders/exports/{job['id']}/download/"), 404, "not_found")
    exports.run_order_export(tenant_id=tenant.pk, job_id=job["id"])
    rows = read_csv(api.get(f"{base(tenant)}/orders/exports/{job['id']}/download/"))
    assert rows[0] == exports.LINE_COLUMNS and {row[2] for row in rows[1:]} == {"ada@example.com"}
    assert len(rows) == 3


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "kind"),
        ({"kind": "everything"}, "kind"),
        ({"kind": "orders", "status": "lost"}, "status"),
        ({"kind": "orders", "payment_status": 1}, "payment_status"),
        ({"kind": "orders", "q": 42}, "q"),
        ({"kind": "orders", "q": "x" * 255}, "q"),
        ({"kind": "orders", "created_from": "2026-13-01x"}, "created_from"),
        ({"kind": "orders", "created_to": "20261201"}, "created_to"),
        ({"kind": "orders", "created_to": None}, "created_to"),
    ],
    ids=["no kind", "unknown kind", "unknown status", "number status", "number q", "long q", "bad date",
         "basic-format date", "null date"],
)  # fmt: skip
def test_bad_export_requests_are_refused_and_nothing_is_queued(api, tenant, make_member, body, field):
    api.force_authenticate(make_member(tenant, "viewer"))
    error = assert_error(api.post(f"{base(tenant)}/orders/exports/", body, format="json"), 400, "validation_error")
    assert field in error["details"]
    assert not OrderExportJob.objects.for_tenant(tenant).exists()


def test_a_list_body_is_refused(api, tenant, make_member):
    api.force_authenticate(make_member(tenant, "viewer"))
    assert_error(api.post(f"{base(tenant)}/orders/exports/", ["orders"], format="json"), 400, "validation_error")


def test_another_shops_export_is_not_found(api, tenant, make_member):
    job = exports.start_order_export(tenant=tenant, user=None, kind="orders", params={})
    other = TenantFactory()
    api.force_authenticate(make_member(other, "owner"))
    assert_error(api.get(f"{base(other)}/orders/exports/{job.pk}/"), 404, "not_found")
    assert_error(api.get(f"{base(other)}/orders/exports/{job.pk}/download/"), 404, "not_found")
    assert_error(api.get(f"{base(tenant)}/orders/exports/{job.pk}/"), 404, "not_found")


@pytest.mark.parametrize("role", ROLES)
def test_customers_list_with_figures_and_keyset_pages(api, tenant, orders, make_member, role):
    api.force_authenticate(make_member(tenant, role))
    first = api.get(f"{base(tenant)}/customers/?limit=2").json()
    assert [row["email"] for row in first["results"]] == ["ada@example.com", "cy@example.com"]
    ada = first["results"][0]
    assert ada["orders"] == 2 and ada["spent"] == str(orders[3].total) and ada["currency"] == tenant.currency
    assert ada["last_order_number"] == orders[3].number
    second = api.get(first["next"]).json()
    assert [row["email"] for row in second["results"]] == ["bob@example.com"] and second["next"] is None
    assert second["results"][0]["spent"] == str(orders[1].total)
    found = api.get(f"{base(tenant)}/customers/?q=B").json()["results"]
    assert [row["email"] for row in found] == ["bob@example.com"]


def test_customers_list_refuses_bad_parameters(api, tenant, orders, make_member):
    api.force_authenticate(make_member(tenant, "viewer"))
    for query, field in (("limit=0", "limit"), ("limit=101", "limit"), (f"q={'x' * 255}", "q")):
        error = assert_error(api.get(f"{base(tenant)}/customers/?{query}"), 400, "validation_error")
        assert field in error["details"], query
    # A cursor that is not one of ours is 404, as for every cursor-paged list of the API (DRF's).
    for cursor in ("nope", "MjAyNi0xMi0wMlQxMDowMHwx"):
        assert_error(api.get(f"{base(tenant)}/customers/?cursor={cursor}"), 404, "not_found")


def test_customers_list_reads_a_page_in_a_fixed_number_of_queries(
    api, tenant, shop, make_member, django_assert_max_num_queries
):
    for n in range(12):
        place(tenant, shop, f"c{n % 6}@example.com")
    api.force_authenticate(make_member(tenant, "viewer"))
    with django_assert_max_num_queries(6):  # session/membership, the newest orders, their figures
        rows = api.get(f"{base(tenant)}/customers/?limit=5").json()["results"]
    assert len(rows) == 5 and all(row["orders"] == 2 for row in rows)


def test_customer_detail_with_orders(api, tenant, orders, make_member):
    api.force_authenticate(make_member(tenant, "analyst"))
    detail = api.get(f"{base(tenant)}/customers/ADA@example.com/").json()
    assert detail["email"] == "ada@example.com" and detail["orders"] == 2
    assert [o["number"] for o in detail["recent_orders"]] == [orders[3].number, orders[0].number]
    assert detail["spent"] == str(orders[3].total)
    assert_error(api.get(f"{base(tenant)}/customers/nobody@example.com/"), 404, "not_found")
    other = TenantFactory()
    api.force_authenticate(make_member(other, "owner"))
    assert_error(api.get(f"{base(other)}/customers/ada@example.com/"), 404, "not_found")
    assert api.get(f"{base(other)}/customers/").json()["results"] == []


def test_console_customer_pages_follow_the_keyset(client, tenant, shop, make_member, monkeypatch):
    monkeypatch.setattr("apps.orders.console_customers.PER_PAGE", 2)
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        place(tenant, shop, email)
    client.force_login(make_member(tenant, "viewer"))
    first = client.get(f"/a/{tenant.slug}/orders/customers/")
    page = first.content.decode()
    assert page.index("c@example.com") < page.index("b@example.com") and "a@example.com" not in page
    next_query = first.context["next_query"]
    second = client.get(f"/a/{tenant.slug}/orders/customers/?{next_query}").content.decode()
    assert "a@example.com" in second and "b@example.com" not in second and "Earlier customers" not in second
    # A cursor that is not one is the first page, not an error page.
    assert "c@example.com" in client.get(f"/a/{tenant.slug}/orders/customers/?after=zz").content.decode()


def test_null_characters_match_nothing_and_are_never_a_server_error(api, tenant, orders, make_member):
    api.force_authenticate(make_member(tenant, "viewer"))
    found = api.get(f"{base(tenant)}/customers/?q=ada%00")  # no email can hold one: nothing matches
    assert found.status_code == 200 and found.json()["results"] == []
    assert_error(api.get(f"{base(tenant)}/customers/ada%00@example.com/"), 404, "not_found")
    response = api.post(f"{base(tenant)}/orders/exports/", {"kind": "orders", "q": "a\x00"}, format="json")
    assert_error(response, 400, "validation_error")


def test_schema_documents_exports_and_customers(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    create = paths["/api/v1/t/{tenant_slug}/orders/exports/"]["post"]
    assert "Location" in create["responses"]["202"]["headers"]
    assert "orders_exports_retrieve" in create["responses"]["202"]["links"]
    retrieve = paths["/api/v1/t/{tenant_slug}/orders/exports/{job_id}/"]["get"]
    assert "orders_exports_download" in retrieve["responses"]["200"]["links"]
    download = paths["/api/v1/t/{tenant_slug}/orders/exports/{job_id}/download/"]["get"]
    assert list(download["responses"]["200"]["content"]) == ["text/csv"]
    components = schema["components"]["schemas"]
    assert components["OrderExportKindEnum"]["enum"] == ["orders", "lines"]
    assert components["ExportInputRequest"]["properties"]["q"]["maxLength"] == 254
    listing = paths["/api/v1/t/{tenant_slug}/customers/"]["get"]
    assert "customers_retrieve" in listing["responses"]["200"]["links"]
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
