"""In a real Chromium: a product on sale shows its struck price, the shopper adds it to the cart,
enters a voucher code in the cart and sees the discount on the line and in the total; a bad code
is refused with its reason."""

from __future__ import annotations

import pytest

from tests.browser_helpers import blocking_violations
from tests.catalog.factories import make_product
from tests.promotions.conftest import make_sale, make_voucher, setup_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_voucher_applied_in_the_cart_shows_in_the_total(browser, live_server, tenant):
    setup_shop(tenant)
    lamp = make_product(tenant, "Desk Lamp", price="40.00", slug="desk-lamp", stock=5)
    make_sale(tenant, products=[lamp], percentage="25")  # 40.00 -> 30.00
    make_voucher(tenant, code="LAMP10", value="10")
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/s/{tenant.slug}/p/desk-lamp/")
        price = page.locator(".product-price")
        assert "€30.00" in price.inner_text() and price.locator("del").inner_text() == "€40.00"
        page.fill("#add-qty-" + str(lamp.variants.get().pk), "2")
        page.get_by_role("button", name="Add to cart").click()
        page.locator("#cart-feedback").get_by_text("Added to your cart.").wait_for()

        page.goto(f"{live_server.url}/s/{tenant.slug}/cart/")
        page.get_by_label("Discount code").fill("nothing")
        page.get_by_role("button", name="Apply").click()
        page.get_by_text("This code is not valid in this shop.").wait_for()

        page.get_by_label("Discount code").fill("lamp10")
        page.get_by_role("button", name="Apply").click()
        page.get_by_text("Your code is applied.").wait_for()
        assert "−€6.00 (LAMP10)" in page.locator(".cart-line").inner_text()  # 10 % of 2 x 30.00
        totals = page.locator(".order-totals")
        assert "Discount (LAMP10)" in totals.inner_text() and "−€6.00" in totals.inner_text()
        assert totals.locator("dd.total").inner_text() == "€54.00"
        assert blocking_violations(page) == []

        page.get_by_role("button", name="Remove code").click()
        page.get_by_text("The code was removed.").wait_for()
        assert page.locator(".order-totals dd.total").inner_text() == "€60.00"
    finally:
        context.close()
