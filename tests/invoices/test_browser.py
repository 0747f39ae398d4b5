"""In a real browser (Playwright + Debian's Chromium): a signed-in shopper opens "My orders",
follows the invoice link of a paid order and gets the PDF, whose text has the invoice number and
the tax line. An unpaid order shows no invoice link."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from apps.invoices import selectors
from tests.browser_helpers import login_as
from tests.factories import UserFactory
from tests.invoices.conftest import paid_order, place
from tests.orders.conftest import make_variant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shopper_downloads_the_invoice_from_my_orders(page, tenant, shop):
    page.set_default_timeout(30_000)  # a loaded shared machine: pages may take seconds
    shopper = UserFactory(email="grace@example.com")
    paid = paid_order(tenant, shop, [(make_variant(tenant, price="20.00", stock=5, name="Lamp"), 1)], user=shopper,
                      email=shopper.email)  # fmt: skip
    unpaid = place(tenant, shop, [(make_variant(tenant, name="Rug"), 1)], user=shopper, email=shopper.email)
    invoice = selectors.find_order_invoice(tenant=tenant, order_id=paid.pk)  # issued when paid (after commit)
    assert invoice is not None and invoice.rendered_at is not None

    login_as(page, shopper)
    page.goto(f"{page.base_url}/s/{tenant.slug}/account/orders/")
    cards = page.locator("article.my-order")
    assert cards.count() == 2
    unpaid_card = cards.filter(has_text=f"Order #{unpaid.number}")
    assert unpaid_card.get_by_role("link", name="(PDF)").count() == 0
    link = cards.filter(has_text=f"Order #{paid.number}").get_by_role("link", name=f"Invoice {invoice.number} (PDF)")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"invoice-{invoice.number}.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(Path(download.path())).pages)
    assert f"Invoice {invoice.number}" in text and "Lamp" in text
    # 20.00 + 4.90 shipping incl. 20 % VAT: net 20.75, tax 4.15.
    assert "Tax 20 % on €20.75" in text and "€4.15" in text
