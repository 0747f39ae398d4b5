"""Issue 13 in a real Chromium at 1280 px and 390 px: a shopper picks a size and a colour on the
product page by mouse and by keyboard; the price, stock and SKU follow without a reload, values
that make no variant are disabled, and the URL can be shared."""

import pytest

from tests.catalog.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_choose_size_and_colour(page, tenant, viewport):
    page.set_viewport_size(viewport)
    make_product(
        tenant,
        "Trail Shoe",
        slug="trail-shoe",
        variants=[
            {"sku": "SH-40-RED", "price": "80.00", "stock": 5, "options": {"size": "40", "colour": "red"}},
            {"sku": "SH-44-RED", "price": "90.00", "stock": 2, "options": {"size": "44", "colour": "red"}},
            {"sku": "SH-40-BLUE", "price": "85.00", "stock": 0, "options": {"size": "40", "colour": "blue"}},
        ],
    )
    page.goto(f"{page.base_url}/s/{tenant.slug}/p/trail-shoe/")
    assert page.locator(".option-group legend").all_inner_texts() == ["Size: 40", "Colour: red"]
    assert page.locator(".variant-form button").count() == 0  # no "Choose" button with JavaScript
    page.locator(".option-value", has_text="44").click()
    page.wait_for_function("() => document.querySelector('.sku').textContent === 'SH-44-RED'")
    assert page.locator(".product-price").inner_text() == "€90.00"
    assert "Only 2 left" in page.locator(".stock").inner_text() or "In stock" in page.locator(".stock").inner_text()
    assert "opt_size=44" in page.url
    # size 44 comes in red only: blue is disabled
    assert page.locator("input[name=opt_colour][value=blue]").is_disabled()
    # by keyboard: back to 40 with the arrow keys, then blue
    page.locator("input[name=opt_size][value='44']").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('.sku').textContent === 'SH-40-RED'")
    page.locator("input[name=opt_colour][value=blue]").focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('.sku').textContent === 'SH-40-BLUE'")
    assert page.locator(".product-price").inner_text() == "€85.00"
    assert "Out of stock" in page.locator(".stock").inner_text()
    assert page.locator(".add-to-cart").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the URL is shareable: a fresh load shows the same choice
    page.goto(page.url)
    assert page.locator(".sku").inner_text() == "SH-40-BLUE"
