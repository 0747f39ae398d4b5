"""The page cache in a real Chromium: a cached storefront page arrives as our assembled gzip,
renders, carries this visit's CSRF token, and shows a catalog write at once; a browser that signs
in is never served the anonymous page."""

import re

import pytest

from apps.catalog import services
from tests.catalog.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cached_gzip_page_renders_and_follows_writes(page, tenant, browser, live_server):
    product = make_product(tenant, "Copper Kettle")
    url = f"{live_server.url}/s/{tenant.slug}/"
    first = page.goto(url)
    assert first.headers["x-page-cache"] == "miss"
    second = page.goto(url)  # the same browser: a hit (or a 304 of its own copy)
    assert second.headers["x-page-cache"] == "hit"
    assert page.locator("text=Copper Kettle").first.is_visible()
    other = browser.new_context()
    try:
        shopper = other.new_page()
        response = shopper.goto(url)
        assert response.headers["x-page-cache"] == "hit" and response.headers["content-encoding"] == "gzip"
        assert shopper.locator("text=Copper Kettle").first.is_visible()
        token = shopper.locator("body").get_attribute("data-csrf-token")
        cookie = {c["name"]: c["value"] for c in other.cookies()}.get("csrftoken")
        assert re.fullmatch(r"[A-Za-z0-9]{64}", token) and cookie
        services.update_product(tenant=tenant, product=product, data={"name": "Brass Kettle"})
        shopper.goto(url)
        assert shopper.locator("text=Brass Kettle").first.is_visible()
    finally:
        other.close()
