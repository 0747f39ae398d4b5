"""The whole sale in a real browser (Playwright + Debian's Chromium) at 390 px: a guest adds two
variants, checks out with bank transfer, sees the confirmation and receives the email; the owner
finds the order in the console and marks it paid. No page scrolls sideways."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from apps.orders.models import Order, OrderEvent
from apps.payments.models import Payment
from tests.browser_helpers import fits, wait_for_mail
from tests.catalog.factories import make_product
from tests.payments.conftest import setup_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_buys_two_variants_by_bank_transfer_and_the_owner_marks_it_paid(page, tenant, owner):
    page.set_default_timeout(30_000)  # a loaded shared machine: pages may take seconds
    setup_shop(tenant)
    product = make_product(
        tenant,
        name="Linen Tee",
        variants=[
            {"sku": "TEE-S", "price": "15.00", "stock": 5, "options": {"size": "S"}},
            {"sku": "TEE-M", "price": "18.00", "stock": 5, "options": {"size": "M"}},
        ],
    )
    mail.outbox.clear()
    base = f"{page.base_url}/s/{tenant.slug}"

    # A guest adds two variants from the product page.
    for sku in ("TEE-S", "TEE-M"):
        page.goto(f"{base}/p/{product.slug}/?variant={sku}")
        assert fits(page), sku
        page.locator("form.add-to-cart button[type=submit]").click()
        # htmx answers in place (or the page reloads without JS): wait for the answer, so the
        # cart cookie is set before the next page is opened.
        page.locator("#cart-feedback a", has_text="View cart").wait_for()
    page.goto(f"{base}/cart/")
    assert fits(page)
    cart_text = page.locator("main").inner_text()
    assert "TEE-S" in cart_text or "size: S" in cart_text
    assert "size: M" in cart_text or "TEE-M" in cart_text

    # Checkout: details, shipping and bank transfer, place.
    page.get_by_role("button", name="Checkout").click()
    page.wait_for_url(re.compile(r".*/checkout/$"))
    assert fits(page)
    page.fill("#f-email", "guest@example.com")
    page.fill("#f-name", "Grace Hopper")
    page.fill("#f-line1", "12 Rue de Rivoli")
    page.fill("#f-city", "Paris")
    page.fill("#f-postal_code", "75001")
    page.select_option("#f-country", "FR")
    page.get_by_role("button", name="Save details").click()
    page.locator("input[name=shipping_method]").first.check()
    page.check("#pay-bank_transfer")
    page.get_by_role("button", name="Save shipping and payment").click()
    assert fits(page)
    page.locator("button.place-order").click()
    page.wait_for_load_state("networkidle")

    order = Order.objects.for_tenant(tenant).get()
    assert order.email == "guest@example.com" and order.payment_method == "bank_transfer"
    assert sorted(order.lines.values_list("sku", flat=True)) == ["TEE-M", "TEE-S"]
    confirmation = page.locator("main").inner_text()
    assert str(order.number) in confirmation
    assert f"reference {order.number}" in confirmation  # the bank transfer instructions
    assert fits(page)
    placed = wait_for_mail(f"Your order #{order.number}")
    assert len(placed) == 1 and placed[0].to == ["guest@example.com"]
    assert f"Order #{order.number}" in placed[0].body and "Linen Tee (size: M)" in placed[0].body

    # The owner finds the order in the console and marks it paid.
    client = Client()
    client.force_login(owner)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])
    page.goto(f"{page.base_url}/a/{tenant.slug}/orders/")
    assert fits(page)
    # The order's own link in the list (the page has other links with digits: bulk actions, customers).
    page.locator(f'table a[href$="/orders/{order.number}/"]').first.click()
    page.wait_for_url(re.compile(rf".*/orders/{order.number}/$"))
    assert fits(page)
    assert "guest@example.com" in page.locator("main").inner_text()
    page.get_by_role("button", name="Mark paid").click()
    page.wait_for_load_state("networkidle")
    assert "the order is paid" in page.locator("body").inner_text()
    assert fits(page)
    order.refresh_from_db()
    assert order.payment_status == "paid"
    assert Payment.objects.for_tenant(tenant).get(order_id=order.pk).status == "succeeded"
    event = OrderEvent.objects.for_tenant(tenant).get(order=order, kind="payment_status_changed")
    assert event.actor_id == owner.pk and event.data["to"] == "paid"
    assert page.get_by_role("button", name="Mark paid").count() == 0
    assert len(wait_for_mail(f"Payment received for order #{order.number}")) == 1
