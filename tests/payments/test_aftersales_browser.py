"""After-sales in a real browser (Playwright + Debian's Chromium) at 390 px: staff ship one line
with DHL and a tracking number, then refund a line; the shopper opens "My orders" and sees the
parcel's tracking link and the refund, and got the shipped and refunded emails."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail

from apps.catalog.models import Variant
from apps.orders.models import Order, OrderEvent
from apps.payments import services
from apps.payments.models import Payment, Refund
from tests.browser_helpers import fits, login_as, wait_for_mail
from tests.factories import UserFactory
from tests.payments.conftest import make_variant, place, setup_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_ship_with_tracking_and_refund_a_line_and_the_shopper_sees_both(page, tenant, owner):
    page.set_default_timeout(30_000)  # a loaded shared machine
    shop = setup_shop(tenant)
    mug = make_variant(tenant, price="12.00", stock=5, name="Stone Mug")
    tee = make_variant(tenant, price="20.00", stock=5, name="Linen Tee")
    shopper = UserFactory(email="shopper@example.com")  # a shopper's account, not a member
    order, _ = place(tenant, shop, [(mug, 2), (tee, 1)], email="shopper@example.com")
    Order.objects.for_tenant(tenant).filter(pk=order.pk).update(user=shopper)
    services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)
    mug_line, tee_line = order.lines.get(variant=mug), order.lines.get(variant=tee)
    mail.outbox.clear()

    # Staff ship the two mugs (not the tee) with DHL and a tracking number.
    login_as(page, owner)
    page.goto(f"{page.base_url}/a/{tenant.slug}/orders/{order.number}/")
    assert fits(page)
    page.fill(f"#ship-qty-{mug_line.pk}", "2")
    page.fill(f"#ship-qty-{tee_line.pk}", "0")
    page.select_option("#ship-carrier", "dhl")
    page.fill("#ship-tracking", "JD014600006281230704")
    page.get_by_role("button", name="Ship these units").click()
    page.wait_for_url(re.compile(rf".*/orders/{order.number}/$"))
    body = page.locator("body").inner_text()
    assert "Shipment 1 of order" in body and "Partially fulfilled" in body
    assert page.get_by_role("link", name="JD014600006281230704").count() == 1
    assert fits(page)
    assert Variant.objects.for_tenant(tenant).get(pk=mug.pk).stock == 3

    # Then refund one mug.
    page.fill(f"#refund-qty-{mug_line.pk}", "1")
    page.fill("#refund-reason", "Chipped")
    page.get_by_role("button", name="Refund").click()
    page.wait_for_url(re.compile(rf".*/orders/{order.number}/$"))
    body = page.locator("body").inner_text()
    assert "Refund of" in body and "12" in body and "Partially refunded" in body
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("12.00"))
    refund = Refund.objects.for_tenant(tenant).get()
    assert refund.manual and refund.created_by == owner and refund.reason == "Chipped"
    assert OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="refunded", actor=owner).count() == 1

    # The shopper's "My orders": the parcel's tracking link and the refund.
    page.context.clear_cookies()
    login_as(page, shopper)
    page.goto(f"{page.base_url}/s/{tenant.slug}/account/orders/")
    assert fits(page)
    mine = page.locator("article.my-order").first
    text = mine.inner_text()
    assert f"Order #{order.number}" in text and "Partially fulfilled" in text and "Partially refunded" in text
    link = mine.get_by_role("link", name=re.compile("Track parcel JD014600006281230704"))
    assert link.get_attribute("href") == (
        "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD014600006281230704"
    )
    # And the guest link (from the email) shows the shipment too.
    page.get_by_role("link", name=f"Order #{order.number}").click()
    assert "Track parcel JD014600006281230704" in page.locator("main").inner_text()
    assert fits(page)

    shipped = wait_for_mail(f"Order #{order.number} from {tenant.name} is on its way")
    assert len(shipped) == 1 and "2 x Stone Mug" in shipped[0].body and "Linen Tee" not in shipped[0].body
    assert len(wait_for_mail(f"Refund for order #{order.number}")) == 1
