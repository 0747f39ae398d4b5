"""The invoice pages: the console order section and download (by role), the settings page, "Make
invoice", and the shopper's download through the signed guest link (and its refusals)."""

from __future__ import annotations

import pytest

from apps.invoices import selectors, services
from apps.invoices.models import Invoice
from apps.orders.selectors import make_guest_link_token
from tests.factories import TenantFactory
from tests.invoices.conftest import SELLER, paid_order, place
from tests.orders.conftest import make_variant, setup_shop

pytestmark = pytest.mark.django_db


def test_console_order_page_offers_the_pdf_to_every_role_that_sees_orders(client, tenant, shop, make_member):
    order = paid_order(tenant, shop)
    invoice = services.issue_invoice(tenant=tenant, order_id=order.pk)
    client.force_login(make_member(tenant, "viewer"))

    page = client.get(f"/a/{tenant.slug}/orders/{order.number}/").content.decode()
    assert f"Invoice <strong>{invoice.number}</strong>" in page and "Download PDF" in page
    response = client.get(f"/a/{tenant.slug}/invoices/orders/{order.number}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="invoice-{invoice.number}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_make_invoice_button_for_managers_only_and_only_when_paid(
    client, tenant, shop, make_member, django_capture_on_commit_callbacks
):
    unpaid = place(tenant, shop, [(make_variant(tenant, name="Kettle"), 1)])
    paid = paid_order(tenant, shop)  # the listener's task never ran here: no commit hooks
    client.force_login(make_member(tenant, "admin"))
    assert (
        "An invoice is made once the order is paid"
        in client.get(f"/a/{tenant.slug}/orders/{unpaid.number}/").content.decode()
    )
    assert "Make invoice" in client.get(f"/a/{tenant.slug}/orders/{paid.number}/").content.decode()

    refused = client.post(f"/a/{tenant.slug}/invoices/orders/{unpaid.number}/request", follow=True)
    assert "invoiced once it is paid" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/a/{tenant.slug}/invoices/orders/{paid.number}/request")
    assert selectors.find_order_invoice(tenant=tenant, order_id=paid.pk).rendered_at is not None
    assert not Invoice.objects.for_tenant(tenant).filter(order_id=unpaid.pk).exists()
    assert client.get(f"/a/{tenant.slug}/invoices/orders/{unpaid.number}/pdf").status_code == 404


def test_settings_page_saves_and_shows_errors_in_place(client, tenant, shop, make_member):
    client.force_login(make_member(tenant, "admin"))
    url = f"/a/{tenant.slug}/invoices/settings/"
    assert SELLER["tax_id"] in client.get(url).content.decode()
    bad = client.post(url, {**SELLER, "tax_id": "X" * 65})
    assert bad.status_code == 400 and "At most 64 characters." in bad.content.decode()
    assert 'value="' + "X" * 65 in bad.content.decode()  # what was typed is kept
    assert client.post(url, {**SELLER, "tax_id": "DE999", "attach_to_paid_email": "on"}).status_code == 302
    saved = selectors.get_invoice_settings(tenant=tenant)
    assert (saved.tax_id, saved.attach_to_paid_email) == ("DE999", True)


def test_shopper_downloads_through_the_guest_link_and_nothing_else(client, tenant, shop):
    order = paid_order(tenant, shop)
    token = make_guest_link_token(order)
    url = f"/s/{tenant.slug}/orders/view/{token}/invoice.pdf"
    assert client.get(url).status_code == 404  # no invoice yet
    assert "invoice.pdf" not in client.get(f"/s/{tenant.slug}/orders/view/{token}/").content.decode()

    invoice = services.issue_invoice(tenant=tenant, order_id=order.pk)
    response = client.get(url)
    assert response.status_code == 200 and response.content == bytes(
        Invoice.objects.for_tenant(tenant).get(pk=invoice.pk).pdf
    )
    assert f"Invoice {invoice.number} (PDF)" in client.get(f"/s/{tenant.slug}/orders/view/{token}/").content.decode()
    assert client.get(f"/s/{tenant.slug}/orders/view/{token[:-2]}xx/invoice.pdf").status_code == 404
    other = TenantFactory()
    setup_shop(other)
    assert client.get(f"/s/{other.slug}/orders/view/{token}/invoice.pdf").status_code == 404


def test_my_orders_links_invoices_in_one_query_whatever_the_number_of_orders(
    client, tenant, shop, django_assert_num_queries, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    shopper = UserFactory()
    first = paid_order(tenant, shop, user=shopper, email=shopper.email)
    services.issue_invoice(tenant=tenant, order_id=first.pk)
    client.force_login(shopper)
    url = f"/s/{tenant.slug}/account/orders/"
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        assert "(PDF)" in client.get(url).content.decode()
    for _ in range(3):
        more = paid_order(tenant, shop, user=shopper, email=shopper.email)
        services.issue_invoice(tenant=tenant, order_id=more.pk)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("(PDF)") == 4
