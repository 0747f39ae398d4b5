"""Invoices on the real PostgreSQL: numbering (gapless under parallel creation), the PDF's text
(WeasyPrint output read back with pypdf), the paid email's attachment, and the rules."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from apps.core.errors import Conflict, Invalid, NotFound
from apps.invoices import documents, selectors, services
from apps.invoices.models import Invoice, InvoiceCounter
from apps.orders import selectors as order_selectors
from tests.concurrency import run_at_once
from tests.factories import TenantFactory
from tests.invoices.conftest import SELLER, paid_order, pay, place
from tests.orders.conftest import make_variant, setup_shop


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_the_pdf_has_number_seller_lines_and_tax_per_rate(tenant, shop):
    mug = make_variant(tenant, price="12.00", stock=10, name="Blue Mug")
    order = paid_order(tenant, shop, [(mug, 3)])  # 36.00 incl. 20 % VAT, shipping 4.90

    invoice = services.issue_invoice(tenant=tenant, order_id=order.pk)

    year = timezone.now().year
    assert invoice.number == f"{year}-00001"
    assert bytes(invoice.pdf).startswith(b"%PDF")
    text = pdf_text(bytes(invoice.pdf))
    assert f"Invoice {year}-00001" in text
    assert SELLER["legal_name"] in text and SELLER["tax_id"] in text and "75006 Paris" in text
    assert "Blue Mug" in text and "Ada Lovelace" in text
    # 36.00 + 4.90 = 40.90 gross at 20 %: tax 6.00 + 0.82 = 6.82, net 34.08.
    assert order.tax_total == Decimal("6.82") and order.total == Decimal("40.90")
    assert re.search(r"Tax 20 % on €34\.08\s*€6\.82", text), text
    assert "€40.90" in text


@pytest.mark.django_db
def test_tax_breakdown_adds_up_to_the_order(tenant, shop):
    order = paid_order(tenant, shop, [(make_variant(tenant, price="9.99", stock=10), 7)])
    detail = order_selectors.get_order_detail(tenant=tenant, order_id=order.pk)

    taxes = documents.tax_breakdown(detail, detail.line_list)

    assert sum(t.tax for t in taxes) == detail.tax_total
    assert sum(t.net for t in taxes) == detail.net_total
    assert sum(t.gross for t in taxes) == detail.total


@pytest.mark.django_db
def test_issuing_twice_gives_the_same_invoice_and_numbers_follow(tenant, shop):
    first = paid_order(tenant, shop)
    second = paid_order(tenant, shop)

    a = services.issue_invoice(tenant=tenant, order_id=first.pk)
    again = services.issue_invoice(tenant=tenant, order_id=first.pk)
    b = services.issue_invoice(tenant=tenant, order_id=second.pk)

    assert a.pk == again.pk and (a.sequence, b.sequence) == (1, 2)
    assert InvoiceCounter.objects.for_tenant(tenant).get(year=a.year).last_number == 2


@pytest.mark.django_db
def test_numbers_are_per_tenant(tenant, shop):
    other = TenantFactory()
    other_method = setup_shop(other)
    mine = services.issue_invoice(tenant=tenant, order_id=paid_order(tenant, shop).pk)
    theirs = services.issue_invoice(tenant=other, order_id=paid_order(other, other_method).pk)
    assert mine.number == theirs.number  # both the first of the year, each in its own shop


@pytest.mark.django_db
def test_an_unpaid_order_is_not_invoiced_and_nothing_is_written(tenant, shop):
    order = place(tenant, shop, [(make_variant(tenant), 1)])
    with pytest.raises(Conflict) as caught:
        services.issue_invoice(tenant=tenant, order_id=order.pk)
    assert caught.value.code == "invoice_not_available"
    assert not Invoice.objects.for_tenant(tenant).exists()
    assert not InvoiceCounter.objects.for_tenant(tenant).exists()


@pytest.mark.django_db
def test_another_tenants_order_is_not_found(tenant, shop):
    other = TenantFactory()
    order = paid_order(other, setup_shop(other))
    with pytest.raises(NotFound):
        services.issue_invoice(tenant=tenant, order_id=order.pk)


@pytest.mark.django_db
def test_settings_reject_overlong_text_and_change_nothing(tenant, shop):
    with pytest.raises(Invalid) as caught:
        services.update_invoice_settings(tenant=tenant, data={"legal_name": "x" * 201, "tax_id": "NEW"})
    assert "legal_name" in caught.value.details
    assert selectors.get_invoice_settings(tenant=tenant).tax_id == SELLER["tax_id"]


@pytest.mark.django_db
def test_the_seller_details_are_kept_as_issued(tenant, shop):
    invoice = services.issue_invoice(tenant=tenant, order_id=paid_order(tenant, shop).pk)
    services.update_invoice_settings(tenant=tenant, data={**SELLER, "legal_name": "Renamed Ltd"})
    again = services.render_invoice(tenant=tenant, invoice_id=invoice.pk)
    assert "Kettle & Co SAS" in pdf_text(bytes(again.pdf))


@pytest.mark.django_db
def test_paid_email_carries_the_invoice_when_the_shop_chooses(tenant, shop, django_capture_on_commit_callbacks):
    services.update_invoice_settings(tenant=tenant, data={**SELLER, "attach_to_paid_email": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(tenant, shop)

    paid = [m for m in mail.outbox if m.subject.startswith("Payment received")]
    assert len(paid) == 1
    (name, content, mimetype), *_ = paid[0].attachments
    invoice = Invoice.objects.for_tenant(tenant).get(order_id=order.pk)
    assert name == f"invoice-{invoice.number}.pdf" and mimetype == "application/pdf"
    assert invoice.number in pdf_text(content)
    assert Invoice.objects.for_tenant(tenant).count() == 1  # the email and the task share one invoice


@pytest.mark.django_db
def test_paid_email_has_no_attachment_by_default(tenant, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(tenant, shop)
    paid = [m for m in mail.outbox if m.subject.startswith("Payment received")]
    assert len(paid) == 1 and paid[0].attachments == []
    # The payment listener still issued the invoice (eager task after commit).
    assert selectors.find_order_invoice(tenant=tenant, order_id=order.pk).rendered_at is not None


@pytest.mark.django_db(transaction=True)
def test_parallel_issuing_is_gapless_and_unique(tenant):
    method = setup_shop(tenant)
    mug = make_variant(tenant, price="5.00", stock=100)
    orders = [paid_order(tenant, method, [(mug, 1)], email=f"p{n}@example.com") for n in range(10)]
    # Paying ran the listener's (eager) task after each commit: start again from no invoice at all.
    Invoice.objects.for_tenant(tenant).delete()
    InvoiceCounter.objects.for_tenant(tenant).delete()

    calls = [lambda o=o: services.issue_invoice(tenant=tenant, order_id=o.pk, render=False).sequence for o in orders]
    calls += [
        lambda o=o: services.issue_invoice(tenant=tenant, order_id=o.pk, render=False).sequence for o in orders[:4]
    ]
    results = run_at_once(calls)

    sequences = sorted(Invoice.objects.for_tenant(tenant).values_list("sequence", flat=True))
    assert sequences == list(range(1, 11))  # no gap, no duplicate, one per order
    assert results[10:] == results[:4]  # the same order asked twice at once got the same number
    year = timezone.now().year
    assert InvoiceCounter.objects.for_tenant(tenant).get(year=year).last_number == 10


@pytest.mark.django_db
def test_a_pdf_failure_does_not_hold_back_the_paid_email(tenant, shop, monkeypatch, django_capture_on_commit_callbacks):
    import weasyprint

    def broken(self, *args, **kwargs):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    services.update_invoice_settings(tenant=tenant, data={**SELLER, "attach_to_paid_email": "on"})
    order = place(tenant, shop, [(make_variant(tenant, name="Vase"), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        pay(tenant, order)

    paid = [m for m in mail.outbox if m.subject.startswith("Payment received")]
    invoice = Invoice.objects.for_tenant(tenant).get(order_id=order.pk)
    assert invoice.rendered_at is None and invoice.sequence == 1  # numbered; its PDF is still to be made
    assert len(paid) == 1 and paid[0].attachments == []


@pytest.mark.django_db
def test_a_discount_row_shows_only_when_the_order_has_one(tenant, shop):
    order = paid_order(tenant, shop)
    invoice = services.issue_invoice(tenant=tenant, order_id=order.pk, render=False)
    detail = order_selectors.get_order_detail(tenant=tenant, order_id=order.pk)
    html = documents.render_invoice_html(invoice=invoice, order=detail, lines=detail.line_list)
    assert "Discount" not in html  # none (or zero) on this order
    detail.discount_total, detail.voucher_code = Decimal("5.00"), "SPRING5"  # promotions' columns
    html = documents.render_invoice_html(invoice=invoice, order=detail, lines=detail.line_list)
    assert "Discount (SPRING5)" in html and "-€5.00" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "value"), [("percentage", "10"), ("free_shipping", "0")])
def test_a_voucher_shows_on_the_invoice_and_the_taxes_still_add_up(tenant, shop, kind, value):
    from apps.orders import services as order_services
    from tests.orders.conftest import ready_cart
    from tests.promotions.conftest import make_voucher

    make_voucher(tenant, code="TENOFF", kind=kind, value=value)
    lamp = make_variant(tenant, price="33.33", stock=9, name="Desk Lamp")
    cart = ready_cart(tenant, shop, [(lamp, 1)])  # 33.33 < 100: shipping is charged, then discounted
    order_services.apply_voucher_code(tenant=tenant, cart=cart, code="tenoff")
    order = order_services.place_order(tenant=tenant, cart=cart).order
    order_services.record_payment_status(tenant=tenant, order_id=order.pk, status="paid")
    order.refresh_from_db()
    assert order.discount_total > 0 and order.voucher_code == "TENOFF"

    invoice = services.issue_invoice(tenant=tenant, order_id=order.pk)
    detail = order_selectors.get_order_detail(tenant=tenant, order_id=order.pk)
    taxes = documents.tax_breakdown(detail, detail.line_list)
    assert sum(t.tax for t in taxes) == detail.tax_total and sum(t.net for t in taxes) == detail.net_total
    text = pdf_text(bytes(invoice.pdf))
    assert "Discount (TENOFF)" in text and f"-€{order.discount_total}" in text
    assert f"Tax 20 % on €{taxes[0].net}" in text and f"€{order.total}" in text
