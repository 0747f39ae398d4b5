"""A real browser buys on the storefront (the beacon sends add_to_cart and checkout_started, the
server records the purchase through the outbox); after the drain and the rollup the owner's
dashboard shows the sale in its cards, funnel and top products."""

import re
import time

import pytest

from apps.analytics import buffer, event_store, rollups
from apps.orders.models import Order
from tests.analytics.conftest import BROWSER_UA
from tests.browser_helpers import login_as
from tests.catalog.factories import make_product
from tests.payments.conftest import setup_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STEPS = ("product_view", "add_to_cart", "checkout_started", "purchase")


def wait_for_types(tenant, types, timeout=15.0) -> dict:
    """Drain until every type in ``types`` is stored (or the time is up); counts per type."""
    deadline = time.monotonic() + timeout
    counts = {}
    while time.monotonic() < deadline:
        buffer.drain(consumer="browser-test", min_idle_ms=0)
        counts = {name: event_store.count_events(tenant_id=tenant.pk, event_type=name) for name in types}
        if all(counts.values()):
            return counts
        time.sleep(0.2)
    return counts


def test_a_sale_in_the_browser_reaches_the_dashboard_cards(browser, live_server, tenant, owner):
    setup_shop(tenant)
    product = make_product(tenant, name="Glacier Parka", price="120.00", stock=5)
    context = browser.new_context(user_agent=BROWSER_UA, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(30_000)  # a loaded shared machine
    page.base_url = live_server.url
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    base = f"{live_server.url}/s/{tenant.slug}"

    page.goto(f"{base}/p/{product.slug}/")
    page.locator("form.add-to-cart button[type=submit]").click()
    page.locator("#cart-feedback a", has_text="View cart").wait_for()
    page.goto(f"{base}/cart/")
    page.get_by_role("button", name="Checkout").click()
    page.wait_for_url(re.compile(r".*/checkout/$"))
    page.fill("#f-email", "grace@example.com")
    page.fill("#f-name", "Grace Hopper")
    page.fill("#f-line1", "12 Rue de Rivoli")
    page.fill("#f-city", "Paris")
    page.fill("#f-postal_code", "75001")
    page.select_option("#f-country", "FR")
    page.get_by_role("button", name="Save details").click()  # the checkout again: not a second start
    page.locator("input[name=shipping_method]").first.check()
    page.check("#pay-bank_transfer")
    page.get_by_role("button", name="Save shipping and payment").click()
    page.locator("button.place-order").click()
    page.wait_for_load_state("networkidle")
    order = Order.objects.for_tenant(tenant).get()

    counts = wait_for_types(tenant, STEPS)
    assert counts == dict.fromkeys(STEPS, 1), counts
    assert rollups.rebuild_dirty() >= 1

    login_as(page, owner)
    response = page.goto(f"{live_server.url}/a/{tenant.slug}/analytics/?period=today")
    assert response.status == 200
    card = page.locator("[data-metric=revenue] .metric-value").inner_text()
    assert card.replace("\u202f", "").replace("\xa0", "") in {f"€{order.total:,}", f"€{order.total}"}, card
    assert page.locator("[data-metric=orders] .metric-value").inner_text() == "1"
    assert page.locator("[data-metric=conversion_rate] .metric-value").inner_text() == "100.0"  # 1 order, 1 visit
    funnel = page.locator("#report-funnel tbody tr")
    assert [funnel.nth(i).locator("td").nth(1).inner_text() for i in range(4)] == ["1", "1", "1", "1"]
    assert page.locator("#report-funnel [data-step=purchase] td").nth(3).inner_text() == "0.0%"
    pages = page.locator("#report-pages").inner_text()
    assert f"/s/{tenant.slug}/orders/view/\t1" in pages and "orders/view/ey" not in pages  # no guest token
    sales = page.locator("#report-product-sales").inner_text()
    assert "Glacier Parka" in sales and "€120.00" in sales
    assert violations == []
    context.close()
