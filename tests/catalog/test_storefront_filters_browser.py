"""Issue 13 in a real Chromium at 1280 px and 390 px: typing a price range is never lost, facets
take several values and show as removable chips, and on a phone the filters wait in a drawer
behind "Filters (n)" with the products first."""

import pytest

from tests.catalog.factories import make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def shop(tenant):
    make_product(tenant, "Red Shirt", price="15.00", attributes={"colour": "red"})
    make_product(tenant, "Blue Shirt", price="35.00", attributes={"colour": "blue"})
    make_product(tenant, "Green Shirt", price="60.00", attributes={"colour": "green"})
    make_product(tenant, "Gold Shirt", price="120.00", attributes={"colour": "gold"})
    return tenant


@pytest.fixture(params=list(WIDTHS))
def width(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return request.param


def open_filters(page, width):
    drawer = page.locator("#filter-drawer")
    if width == "phone":
        assert drawer.get_attribute("open") is None  # products first
        page.locator(".filter-toggle").click()
    assert drawer.get_attribute("open") is not None


def card_names(page) -> list[str]:
    return sorted(page.locator(".product-card .product-name").all_inner_texts())


def test_typing_a_price_range_is_kept_and_applied(page, shop, width):
    page.goto(f"{page.base_url}/s/{shop.slug}/search")
    open_filters(page, width)
    page.locator("#f-min").click()
    page.keyboard.type("20,5")
    page.keyboard.press("Tab")  # change on "from": a request starts while "to" is typed
    page.keyboard.type("€100", delay=60)
    page.keyboard.press("Tab")
    page.wait_for_function("() => new URL(location.href).searchParams.get('price_max') === '€100'")
    page.wait_for_function("() => document.querySelectorAll('.product-card').length === 2")
    assert page.input_value("#f-min") == "20,5"
    assert page.input_value("#f-max") == "€100"
    assert card_names(page) == ["Blue Shirt", "Green Shirt"]
    assert page.locator(".chip").first.inner_text().startswith("€20.50 – €100.00")
    # min above max: told, not silently nothing
    page.goto(f"{page.base_url}/s/{shop.slug}/search?price_min=100&price_max=30")
    assert "was above the highest" in page.locator(".filter-notices").inner_text()
    assert card_names(page) == ["Blue Shirt", "Green Shirt"]


def test_multi_select_facets_and_chips(page, shop, width):
    page.goto(f"{page.base_url}/s/{shop.slug}/")
    open_filters(page, width)
    page.locator("#f-colour-red").focus()
    page.keyboard.press("Space")  # by keyboard
    page.wait_for_function("() => document.querySelectorAll('.product-card').length === 1")
    # the keyboard stays put: focus is given back once the swap has settled
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'f-colour-red'")
    if width == "phone":  # the drawer stays open across the swap
        assert page.locator("#filter-drawer").get_attribute("open") is not None
    page.locator("label", has_text="blue").click()
    page.wait_for_function("() => document.querySelectorAll('.product-card').length === 2")
    assert card_names(page) == ["Blue Shirt", "Red Shirt"]
    assert page.locator(".filter-toggle").inner_text() == "Filters (2)"
    if width == "phone":
        page.locator("[data-close-drawer]").click()
        assert page.locator("#filter-drawer").get_attribute("open") is None
    chips = {" ".join(text.split()) for text in page.locator(".chip").all_inner_texts()}
    assert chips == {"Colour: red ×", "Colour: blue ×"}
    page.locator(".chip", has_text="red").click()
    page.wait_for_load_state()
    assert card_names(page) == ["Blue Shirt"]
    page.locator(".chip-clear").click()
    page.wait_for_load_state()
    assert len(card_names(page)) == 4
    assert page.locator(".chip").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_shows_products_before_filters(page, shop):
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(f"{page.base_url}/s/{shop.slug}/")
    first_card = page.locator(".product-card").first.bounding_box()
    assert first_card["y"] < 844  # the first product is on the first screen
    assert not page.locator("#f-min").is_visible()
    page.locator(".filter-toggle").click()
    assert page.locator("#f-min").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#f-min").is_visible()
