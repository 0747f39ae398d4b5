"""The admin's shop filter in a real Chromium, under the admin's CSP: staff type part of a shop's
address in the sidebar box, pick the shop, and the product list reloads showing only its products
(``apps.core.admin_filters.AutocompleteFilter``, ``static/js/admin/autocomplete_filter.js``)."""

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import login_as
from tests.catalog.factories import make_product
from tests.factories import TenantFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_filter_the_product_list_by_a_shop_they_search_for(page):
    for i in range(3):
        shop = TenantFactory(slug=f"candle-shop-{i}", name=f"Candle Shop {i}")
        make_product(shop, f"Candle from shop {i}", slug="candle")
    login_as(page, UserFactory(is_staff=True, is_superuser=True))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base_url}/admin/catalog/product/")
    expect(page.get_by_text("Candle from shop 2")).to_be_visible()
    page.locator(".autocomplete-filter .select2-selection").click()
    page.locator(".select2-search__field").fill("candle-shop-1")
    page.get_by_role("option", name="Candle Shop 1").click()
    page.wait_for_url("**tenant__id__exact=*")
    expect(page.get_by_text("Candle from shop 1")).to_be_visible()
    expect(page.get_by_text("Candle from shop 2")).to_have_count(0)
    assert not [e for e in errors if "Content Security Policy" in e], errors
