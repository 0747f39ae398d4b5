"""Issue 13, item 7 in a real Chromium: a shop's own host name, resolved to the live server by the
browser's own resolver (``--host-resolver-rules``), serves the shop at ``/``; the shopper browses
from the home page to a product on that host, the page's canonical link names the
domain, and a host no shop owns shows the platform, not the shop."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from apps.tenants.access import forget_domain
from tests.catalog.factories import make_product
from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOST = "lamps.example.test"
OTHER = "nobody.example.test"


@pytest.fixture
def domain_page(browser, live_server, settings):
    """A second Chromium, from the session's Playwright, whose resolver maps the two test host
    names to the live server's address (a resolver rule is a launch argument)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST, OTHER]
    address = urlsplit(live_server.url)
    rules = f"MAP {HOST} {address.hostname}, MAP {OTHER} {address.hostname}"
    mapped = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", f"--host-resolver-rules={rules}"],
    )
    page = mapped.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10_000)
    page.port = address.port
    yield page
    mapped.close()


def test_a_shopper_browses_the_shop_on_its_own_domain(domain_page, tenant):
    tenant.domain = HOST
    tenant.save()
    forget_domain(HOST)
    make_product(tenant, "Copper Lamp", slug="copper-lamp")
    page = domain_page
    origin = f"http://{HOST}:{page.port}"
    page.goto(f"{origin}/")
    expect(page.get_by_role("link", name="Copper Lamp").first).to_be_visible()
    page.get_by_role("link", name="Copper Lamp").first.click()
    expect(page.get_by_role("heading", level=1, name="Copper Lamp")).to_be_visible()
    assert urlsplit(page.url).hostname == HOST  # still on the shop's host
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical == f"http://{HOST}/p/copper-lamp/"
    robots = page.goto(f"{origin}/robots.txt")
    assert robots.status == 200 and "Allow: /\n" in robots.text()
    page.goto(f"http://{OTHER}:{page.port}/")
    assert "Copper Lamp" not in page.content()  # a host no shop owns is not this shop
