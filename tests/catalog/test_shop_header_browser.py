"""Issue 13 in a real Chromium: the shop's header as staff set it up (a logo uploaded in the
settings; menus) and as shoppers use it at 1280 px and 390 px."""

import io

import pytest
from PIL import Image

from apps.catalog import menus
from tests.browser_helpers import fits, login_as, watch_csp
from tests.catalog.factories import make_category, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_uploaded_logo_shows_in_the_header_without_shifting_it(page, tenant, make_member, tmp_path):
    owner = make_member(tenant, "owner")
    make_product(tenant, "Oak Table")
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "#1d4d3a").save(buffer, "PNG")
    logo = tmp_path / "logo.png"
    logo.write_bytes(buffer.getvalue())
    login_as(page, owner)
    csp = watch_csp(page)
    page.goto(f"{page.base_url}/a/{tenant.slug}/settings/")
    page.set_input_files("#id_logo", str(logo))
    page.get_by_role("button", name="Upload logo").click()
    assert "Logo saved." in page.locator("body").inner_text()
    page.goto(f"{page.base_url}/s/{tenant.slug}/")
    image = page.locator(".site-header .brand img.shop-logo")
    assert image.get_attribute("alt") == tenant.name
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("120", "40")
    assert page.evaluate("() => document.querySelector('.shop-logo').naturalWidth") == 300
    box = image.bounding_box()
    assert round(box["height"]) == 40 and round(box["width"]) == 120
    assert fits(page) and not csp
    page.goto(f"{page.base_url}/a/{tenant.slug}/settings/")
    page.get_by_role("button", name="Remove logo").click()
    page.goto(f"{page.base_url}/s/{tenant.slug}/")
    assert page.locator(".site-header .brand").inner_text() == tenant.name


@pytest.mark.parametrize("width", [1280, 390])
def test_the_header_menu_works_by_keyboard_at_both_widths(page, tenant, width):
    tables = make_category(tenant, "Tables", slug="tables")
    make_product(tenant, "Oak Table", category=tables)
    top = menus.add_menu_item(tenant=tenant, menu="header", label="Furniture", kind="category", category_id=tables.pk)
    menus.add_menu_item(tenant=tenant, menu="header", label="Oak", kind="path", path="search?q=oak", parent_id=top.pk)
    menus.add_menu_item(tenant=tenant, menu="header", label="Tables", kind="path", path="c/tables/")
    page.set_viewport_size({"width": width, "height": 844})
    csp = watch_csp(page)
    page.goto(f"{page.base_url}/s/{tenant.slug}/")
    drawer = page.locator("#menu-drawer")
    if width == 390:
        assert drawer.get_attribute("open") is None and not page.locator(".menu-list").is_visible()
        page.locator("#menu-drawer > summary").focus()
        page.keyboard.press("Enter")
    assert drawer.get_attribute("open") is not None and not page.locator(".category-nav").count()
    dropdown = page.locator(".menu-dropdown")
    dropdown.locator("summary").focus()
    page.keyboard.press("Enter")
    assert dropdown.get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "All Furniture"
    page.keyboard.press("Escape")
    assert dropdown.get_attribute("open") is None
    assert page.evaluate("document.activeElement.textContent") == "Furniture"
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Oak", exact=True).click()
    page.wait_for_url("**/search?q=oak")
    assert page.locator(".product-card").count() == 1
    assert fits(page) and not csp


@pytest.mark.parametrize("width", [1280, 390])
def test_search_suggestions_as_a_combobox_never_lose_the_typing(page, tenant, width):
    jackets = make_category(tenant, "Rain Jackets", slug="rain-jackets")
    make_product(tenant, "Jacket Blue", category=jackets)
    make_product(tenant, "Jacket Green", category=jackets)
    page.set_viewport_size({"width": width, "height": 844})
    csp = watch_csp(page)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/suggest" in r.url else None)
    page.goto(f"{page.base_url}/s/{tenant.slug}/")
    box = page.locator("#shop-q")
    box.click()
    page.keyboard.type("jack", delay=40)  # faster than the debounce: one request
    listbox = page.locator("#shop-suggestions")
    listbox.locator("[role=option]").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true" and box.input_value() == "jack"
    assert listbox.locator("[role=option]").all_inner_texts()[0].startswith("Rain Jackets")
    assert len(requests) == 1
    page.keyboard.type("et", delay=40)  # still typing after the list came: the input is untouched
    page.wait_for_timeout(500)
    assert box.input_value() == "jacket" and page.evaluate("document.activeElement.id") == "shop-q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active == "shop-sugg-p1" and listbox.locator(f"#{active}").get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("Enter")  # no option chosen: the full search page
    page.wait_for_url("**/search?q=jacket")
    assert page.locator(".product-card").count() == 2
    box = page.locator("#shop-q")
    box.fill("")
    box.click()
    page.keyboard.type("jacket g", delay=30)
    page.locator("#shop-suggestions [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/jacket-green/")
    assert fits(page) and not csp


def test_staff_preview_a_draft_from_the_console(page, tenant, make_member):
    viewer = make_member(tenant, "viewer")
    draft = make_product(
        tenant,
        "Secret Sofa",
        status="draft",
        variants=[
            {"sku": "SOFA-S", "price": "500.00", "stock": 2, "options": {"size": "S"}},
            {"sku": "SOFA-L", "price": "700.00", "stock": 1, "options": {"size": "L"}},
        ],
    )
    login_as(page, viewer)
    csp = watch_csp(page)
    page.goto(f"{page.base_url}/a/{tenant.slug}/catalog/products/{draft.pk}/")
    page.get_by_role("link", name="Preview").click()
    page.wait_for_url(f"**/catalog/products/{draft.pk}/preview")
    assert page.locator(".preview-banner").inner_text().startswith("Preview — not published")
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    page.get_by_label("L", exact=True).check()
    page.wait_for_function("() => new URL(location.href).searchParams.get('opt_size') === 'L'")
    assert "/preview" in page.url and "€700.00" in page.locator("#product").inner_text()
    assert page.locator(".preview-banner").is_visible() and not csp
    page.context.clear_cookies()
    assert page.goto(f"{page.base_url}/s/{tenant.slug}/p/{draft.slug}/").status == 404
