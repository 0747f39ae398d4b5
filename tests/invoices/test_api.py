"""The invoices API (``/api/v1/t/<slug>/orders/<number>/invoices/...``): the order's invoices and
their PDF for every role that sees orders, "make the invoice" (202 and where to poll) for admins
and owners, refusals in the error shape, and another shop's order never reached."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.invoices import selectors, services
from apps.invoices.models import Invoice
from tests.api_helpers import assert_error
from tests.factories import TenantFactory
from tests.invoices.conftest import paid_order, place
from tests.orders.conftest import make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def url(tenant, number, rest=""):
    return f"/api/v1/t/{tenant.slug}/orders/{number}/invoices/{rest}"


@pytest.mark.parametrize("role", ["viewer", "analyst", "editor", "admin", "owner"])
def test_every_role_that_sees_orders_lists_and_downloads(api, tenant, shop, make_member, role):
    order = paid_order(tenant, shop)
    invoice = services.issue_invoice(tenant=tenant, order_id=order.pk)
    api.force_authenticate(make_member(tenant, role))

    (listed,) = api.get(url(tenant, order.number)).json()
    assert listed["number"] == invoice.number and listed["id"] == invoice.pk
    assert listed["pdf_url"].endswith(url(tenant, order.number, f"{invoice.pk}/pdf/"))
    response = api.get(listed["pdf_url"], HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="invoice-{invoice.number}.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")


@pytest.mark.parametrize("role,allowed", [("viewer", False), ("analyst", False), ("editor", False),
                                          ("admin", True), ("owner", True)])  # fmt: skip
def test_make_invoice_is_for_admins_and_owners(api, tenant, shop, make_member, role, allowed):
    order = paid_order(tenant, shop)  # the listener's task never ran: no commit hooks here
    api.force_authenticate(make_member(tenant, role))
    response = api.post(url(tenant, order.number))
    if not allowed:
        assert_error(response, 403, "permission_denied")
        return
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["invoice"] is None
    assert body["poll_url"].endswith(url(tenant, order.number)) and response["Location"] == body["poll_url"]


def test_make_invoice_in_the_background_then_poll(api, tenant, shop, make_member, django_capture_on_commit_callbacks):
    order = paid_order(tenant, shop)
    api.force_authenticate(make_member(tenant, "admin"))
    assert api.get(url(tenant, order.number)).json() == []

    with django_capture_on_commit_callbacks(execute=True):  # the outbox publishes after commit
        assert api.post(url(tenant, order.number)).status_code == 202
    (listed,) = api.get(url(tenant, order.number)).json()
    assert listed["rendered_at"] and listed["pdf_url"]

    again = api.post(url(tenant, order.number))  # idempotent: the same invoice, no second number
    assert again.status_code == 202 and again.json()["status"] == "issued"
    assert again.json()["invoice"]["number"] == listed["number"]
    assert Invoice.objects.for_tenant(tenant).count() == 1


def test_refusals_in_the_error_shape_change_nothing(api, tenant, shop, make_member):
    unpaid = place(tenant, shop, [(make_variant(tenant, name="Kettle"), 1)])
    paid = paid_order(tenant, shop)
    issued = services.issue_invoice(tenant=tenant, order_id=paid.pk, render=False)
    api.force_authenticate(make_member(tenant, "owner"))

    assert_error(api.post(url(tenant, unpaid.number)), 409, "invoice_not_available")
    assert not Invoice.objects.for_tenant(tenant).filter(order_id=unpaid.pk).exists()
    assert_error(api.get(url(tenant, 99999)), 404, "not_found")
    assert_error(api.post(url(tenant, 99999)), 404, "not_found")
    # Issued but not rendered yet: listed without a PDF link, and the PDF is 404.
    (listed,) = api.get(url(tenant, paid.number)).json()
    assert listed["rendered_at"] is None and listed["pdf_url"] is None
    assert_error(api.get(url(tenant, paid.number, f"{issued.pk}/pdf/")), 404, "not_found")
    # "Make the invoice" again for a numbered invoice without its PDF: queued again, same number.
    again = api.post(url(tenant, paid.number))
    assert again.status_code == 202 and again.json()["status"] == "queued"
    assert again.json()["invoice"]["number"] == issued.number
    services.render_invoice(tenant=tenant, invoice_id=issued.pk)
    # Another order's number with this invoice's id is not this invoice.
    assert_error(api.get(url(tenant, unpaid.number, f"{issued.pk}/pdf/")), 404, "not_found")
    # A PDF asked with Accept: application/pdf still answers errors as JSON.
    assert_error(api.get(url(tenant, 99999, "1/pdf/"), HTTP_ACCEPT="application/pdf"), 404, "not_found")


def test_another_shops_invoice_is_not_found(api, tenant, shop, make_member):
    order = paid_order(tenant, shop)
    invoice = services.issue_invoice(tenant=tenant, order_id=order.pk)
    other = TenantFactory()
    api.force_authenticate(make_member(other, "owner"))
    # Its own shop's URL with the first shop's order number and invoice id: nothing of the first shop.
    assert_error(api.get(url(other, order.number)), 404, "not_found")
    assert_error(api.get(url(other, order.number, f"{invoice.pk}/pdf/")), 404, "not_found")
    # The first shop's URL: not a member, 404 like every tenant route.
    assert_error(api.get(url(tenant, order.number)), 404, "not_found")
    assert selectors.find_order_invoice(tenant=tenant, order_id=order.pk).number == invoice.number


def test_schema_documents_the_invoice_operations(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    ops = schema["paths"]["/api/v1/t/{tenant_slug}/orders/{number}/invoices/"]
    assert set(ops["post"]["responses"]) >= {"202", "404", "409"}
    assert "Location" in ops["post"]["responses"]["202"]["headers"]
    assert "invoices_order_list" in ops["post"]["responses"]["202"]["links"]
    pdf = schema["paths"]["/api/v1/t/{tenant_slug}/orders/{number}/invoices/{invoice_id}/pdf/"]["get"]
    assert list(pdf["responses"]["200"]["content"]) == ["application/pdf"]
