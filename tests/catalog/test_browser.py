"""Issue 4, item 13, in a real Chromium: a shopper searches with a typo, narrows by a filter,
opens the product and picks a variant; an editor imports a CSV, sees the progress reach 100%,
downloads the error report and finds the new products on the storefront."""

from pathlib import Path

import pytest
from django.test import Client

from tests.browser_helpers import watch_csp
from tests.catalog.factories import make_category, make_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shopper_typo_search_filter_variant(page, tenant):
    machines = make_category(tenant, "Coffee Machines")
    make_product(
        tenant,
        "Espresso Machine",
        category=machines,
        attributes={"color": "red"},
        variants=[
            {"sku": "ESP-RED-S", "price": "199.00", "stock": 4, "options": {"size": "small"}},
            {"sku": "ESP-RED-L", "price": "249.00", "stock": 0, "options": {"size": "large"}},
        ],
    )
    make_product(tenant, "Espresso Cups", attributes={"color": "white"}, price="12.00")
    make_product(tenant, "Tea Kettle", price="30.00")
    violations = watch_csp(page)
    page.goto(f"{page.base_url}/s/{tenant.slug}/")
    page.fill("#shop-q", "espreso machin")  # typos
    page.locator(".shop-search button").click()
    page.wait_for_load_state()
    results = page.locator("#results")
    assert "Espresso Machine" in results.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits a phone
    assert results.get_attribute("data-analytics-query") == "espreso machin"
    # narrow by a facet: the colour "red" (a checkbox of the filter form, in the phone's drawer)
    page.goto(f"{page.base_url}/s/{tenant.slug}/search?q=espresso")
    assert page.locator(".product-card").count() == 2
    page.locator(".filter-toggle").click()
    page.locator(".facet-list label", has_text="red").click()
    page.wait_for_function("() => document.querySelectorAll('.product-card').length === 1")
    # the in-stock checkbox updates the results in place (htmx)
    page.check("#f-stock")
    page.wait_for_function("() => new URL(location.href).searchParams.get('in_stock') === '1'")
    assert page.locator(".product-card").count() == 1
    page.locator("[data-close-drawer]").click()  # back to the products
    page.locator(".product-card a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Espresso Machine"
    assert page.locator(".sku").inner_text() == "ESP-RED-S"
    assert page.locator(".option-group legend").inner_text() == "Size: small"
    page.locator(".option-value", has_text="large").click()
    page.wait_for_function("() => document.querySelector('.sku').textContent === 'ESP-RED-L'")
    assert "Out of stock" in page.locator(".stock").inner_text()
    assert "249.00" in page.locator(".product-price").inner_text()
    assert violations == []


def test_editor_imports_csv_and_sees_products(page, tenant, make_member, tmp_path):
    make_category(tenant, "Lamps")
    editor = make_member(tenant, "editor")
    client = Client()
    client.force_login(editor)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}])
    csv_file = Path(tmp_path) / "products.csv"
    csv_file.write_text(
        "sku,name,price,stock,status,category,options\n"
        "LAMP-1,Brass Reading Lamp,59.00,5,published,lamps,finish=brass\n"
        "LAMP-2,Brass Reading Lamp,61.00,2,published,lamps,finish=chrome\n"
        "LAMP-3,Paper Floor Lamp,-5,1,published,lamps,\n"
        "LAMP-4,Oak Desk Lamp,35.50,9,published,nowhere,\n"
    )
    violations = watch_csp(page)
    page.goto(f"{page.base_url}/a/{tenant.slug}/catalog/import/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits a phone
    page.set_input_files("#id_file", str(csv_file))
    page.check("input[name=mode][value=skip]")
    page.get_by_role("button", name="Preview", exact=True).click()
    # the preview (issue 13): first rows with their errors, counts, nothing written yet
    summary = page.locator(".import-summary").inner_text()
    assert "4 rows: 2 ready to import, 2 with errors." in summary
    assert page.locator(".import-preview tr.row-invalid").count() == 2
    assert "Must be zero or more." in page.locator(".import-preview").inner_text()
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector(".job-progress[data-status=done]")
    assert page.locator(".percent").inner_text() == "100"
    assert page.locator(".rows-done").inner_text() == "4" and page.locator(".rows-total").inner_text() == "4"
    assert "2 created" in page.locator(".job-progress").inner_text()
    with page.expect_download() as info:
        page.locator("a", has_text="Download the error report").click()
    report = Path(info.value.path()).read_text()
    assert report.splitlines()[0] == "row,column,message"
    assert "4,price,Must be zero or more." in report and "5,category" in report
    for path in ("", "products/new", "categories/"):
        page.goto(f"{page.base_url}/a/{tenant.slug}/catalog/{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(f"{page.base_url}/s/{tenant.slug}/search?q=brass")
    assert "Brass Reading Lamp" in page.locator("#results").inner_text()
    page.goto(f"{page.base_url}/s/{tenant.slug}/c/lamps/")
    assert "Paper Floor Lamp" not in page.content()
    assert violations == []
