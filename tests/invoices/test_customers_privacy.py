"""The staff's customer view (per email: orders, spent, last order) and GDPR on orders: the
person's export includes their orders; erasure (the account's, or staff's for one email) keeps
the orders and their totals and replaces the person's data, and the invoice is made again
without it."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from apps.analytics.models import PrivacyRequest
from apps.analytics.privacy import grace, requests, verify
from apps.invoices.models import Invoice
from apps.orders import customers, exports, privacy
from apps.orders.models import Cart, Order, OrderExportJob
from tests.conftest import reauthenticate
from tests.factories import UserFactory
from tests.invoices.conftest import paid_order, place
from tests.orders.conftest import ADDRESS, make_variant


def pdf_text(invoice) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(invoice.pdf))).pages)


@pytest.mark.django_db
def test_customer_list_and_page_show_orders_spent_and_last(client, tenant, shop, make_member):
    first = paid_order(tenant, shop, email="ada@example.com")
    second = paid_order(tenant, shop, email="ada@example.com")
    place(tenant, shop, [(make_variant(tenant, name="Unpaid thing"), 1)], email="ada@example.com")  # not "spent"
    paid_order(tenant, shop, email="bob@example.com")

    rows = {row["email"]: row for row in customers.list_customers(tenant=tenant)}
    assert rows["ada@example.com"]["orders"] == 3
    assert rows["ada@example.com"]["spent"] == first.total + second.total
    customer = customers.get_customer(tenant=tenant, email="ADA@example.com ")
    assert customer.order_count == 3 and customer.last_order.number == max(o.number for o in customer.orders)

    client.force_login(make_member(tenant, "viewer"))
    listing = client.get(f"/a/{tenant.slug}/orders/customers/").content.decode()
    assert "ada@example.com" in listing and "bob@example.com" in listing
    page = client.get(f"/a/{tenant.slug}/orders/customers/view/", {"email": "ada@example.com"}).content.decode()
    assert f"#{customer.last_order.number}" in page and "Erase their personal data" not in page  # viewer
    assert client.get(f"/a/{tenant.slug}/orders/customers/view/", {"email": "nobody@example.com"}).status_code == 404
    assert client.get(f"/a/{tenant.slug}/orders/customers/export/", {"email": "ada@example.com"}).status_code == 403


@pytest.mark.django_db
def test_staff_erasure_keeps_totals_and_replaces_the_persons_data(
    client, tenant, shop, make_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(tenant, shop, email="ada@example.com")
    other = paid_order(tenant, shop, email="bob@example.com")
    invoice = Invoice.objects.for_tenant(tenant).get(order_id=order.pk)
    assert "Ada Lovelace" in pdf_text(invoice)
    admin = make_member(tenant, "admin")
    client.force_login(admin)
    export = client.get(f"/a/{tenant.slug}/orders/customers/export/", {"email": "ada@example.com"})
    assert json.loads(export.content)["orders"][0]["shipping_address"]["name"] == ADDRESS["name"]

    wrong = client.post(
        f"/a/{tenant.slug}/orders/customers/erase/", {"email": "ada@example.com", "confirm_email": "typo@example.com"}
    )
    assert wrong.status_code == 302 and Order.objects.for_tenant(tenant).filter(email="ada@example.com").exists()

    with django_capture_on_commit_callbacks(execute=True):
        named = exports.start_order_export(tenant=tenant, user=admin, kind="orders", params={"q": "ada@example.com"})
        unnamed = exports.start_order_export(tenant=tenant, user=admin, kind="orders", params={"status": "unfulfilled"})
    named.refresh_from_db()
    named_file = named.result.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/a/{tenant.slug}/orders/customers/erase/",
            {"email": "ada@example.com", "confirm_email": "ada@example.com"},
        )
    assert not OrderExportJob.objects.for_tenant(tenant).filter(pk=named.pk).exists()
    assert not named.result.storage.exists(named_file)
    assert OrderExportJob.objects.for_tenant(tenant).filter(pk=unnamed.pk).exists()

    erased = Order.objects.for_tenant(tenant).get(pk=order.pk)
    assert erased.email.endswith("@erased.invalid") and erased.shipping_address == {"country": "FR"}
    assert (erased.total, erased.tax_total, erased.number) == (order.total, order.tax_total, order.number)
    assert erased.events.filter(kind="personal_data_erased", actor=admin).exists()
    assert Order.objects.for_tenant(tenant).get(pk=other.pk).email == "bob@example.com"  # only that person
    invoice.refresh_from_db()
    text = pdf_text(invoice)
    assert invoice.number in text and "Ada Lovelace" not in text and "ada@example.com" not in text


@pytest.mark.django_db(transaction=True)
def test_account_erasure_covers_orders_and_the_export_lists_them(client, tenant, shop):
    user = UserFactory(email="zelda@example.com", name="Zelda Quartermain")
    mine = paid_order(tenant, shop, email=user.email, user=user)
    guest = paid_order(tenant, shop, email=user.email)  # same person, as a guest
    assert Invoice.objects.for_tenant(tenant).count() == 2  # issued when paid (eager task after commit)
    open_cart = Cart.objects.create(tenant=tenant, user=user, email=user.email, shipping_address=ADDRESS)

    files = requests.collect_user_data(user=user)
    assert {o["number"] for o in json.loads(json.dumps(files["orders.json"]))} == {mine.number, guest.number}
    assert "orders.json" in zipfile.ZipFile(io.BytesIO(requests.build_zip(files))).namelist()

    email, name, public_id, pk = user.email, user.name, str(user.public_id), user.pk
    client.force_login(user)
    reauthenticate(client)
    assert client.post("/privacy/erase/", {"confirm_email": email}).status_code == 302
    assert grace.run_due_erasures(now=timezone.now() + grace.grace_period()) == 1

    record = PrivacyRequest.objects.get(kind="erase")
    assert record.status == "done", record.verification
    assert verify.find_user_traces(user_pk=pk, email=email, name=name, public_id=public_id) == []
    kept = Order.objects.for_tenant(tenant).filter(pk__in=[mine.pk, guest.pk]).order_by("pk")
    assert [o.total for o in kept] == [mine.total, guest.total]
    assert sum((o.total for o in kept), Decimal("0")) == mine.total + guest.total
    assert all(o.user_id is None and o.email.endswith("@erased.invalid") for o in kept)
    assert not Cart.objects.for_tenant(tenant).filter(pk=open_cart.pk).exists()
    for invoice in Invoice.objects.for_tenant(tenant):
        assert email not in pdf_text(invoice) and ADDRESS["name"] not in pdf_text(invoice)


@pytest.mark.django_db
def test_erasing_an_unknown_email_changes_nothing(tenant, shop):
    order = paid_order(tenant, shop, email="ada@example.com")

    assert privacy.anonymise_customer_orders(tenant=tenant, email="nobody@example.com") == 0
    assert privacy.anonymise_customer_orders(tenant=tenant, email="  ") == 0
    assert Order.objects.for_tenant(tenant).get(pk=order.pk).email == "ada@example.com"
