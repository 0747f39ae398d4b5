"""Issue 13 in a real Chromium: the shop's header as staff set it up (a logo uploaded in the
settings; menus) and as shoppers use it at 1280 px and 390 px."""

import io

import pytest
from PIL import Image

from tests.browser_helpers import fits, login_as, watch_csp
from tests.catalog.factories import make_product

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
