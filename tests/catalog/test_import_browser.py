"""Issue 13, item 10, in a real Chromium at 1280 and 390 px: an Excel-EU file (semicolons,
Windows-1252, decimal comma, CRLF) with a category path is previewed — the page says how it was
read and how many categories will be created — and imported with "Create missing categories"."""

import pytest

from apps.catalog.models import Category, Variant
from tests.browser_helpers import login_as, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXCEL_EU = "sku;name;price;category\r\nLAMP-1;Lampe Zürich;24,90;Wohnen > Lampen\r\nMUG-1;Tasse;1.234,50;Küche\r\n"


@pytest.mark.parametrize("width", [1280, 390])
def test_editor_imports_an_excel_eu_file_creating_its_categories(page, tenant, make_member, width):
    page.set_viewport_size({"width": width, "height": 900})
    login_as(page, make_member(tenant, "editor"))
    violations = watch_csp(page)
    page.goto(f"{page.base_url}/a/{tenant.slug}/catalog/import/")
    page.set_input_files(
        "#id_file", files=[{"name": "produkte.csv", "mimeType": "text/csv", "buffer": EXCEL_EU.encode("cp1252")}]
    )
    page.get_by_label("Create missing categories").check()
    page.get_by_role("button", name="Preview", exact=True).click()
    assert page.locator(".detected-dialect").inner_text() == "Semicolon-separated, Windows-1252, decimal comma"
    assert page.locator(".import-new-categories").inner_text() == "3 categories will be created."
    assert "Lampe Zürich" in page.locator("table.import-preview").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("#job-progress[data-status=done]")
    assert "3 categories created." in page.locator("#job-progress").inner_text()
    prices = dict(Variant.objects.for_tenant(tenant).values_list("sku", "price"))
    assert {sku: str(price) for sku, price in prices.items()} == {"LAMP-1": "24.90", "MUG-1": "1234.50"}
    assert sorted(Category.objects.for_tenant(tenant).values_list("name", flat=True)) == ["Küche", "Lampen", "Wohnen"]
    assert violations == []
