"""axe-core (from a local npm install) over every kind of page, at 1280 px and 390 px: no serious or
critical violation may land. New page kinds join ``PAGES``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.analytics import services as analytics_services
from apps.catalog import content_pages, import_preview, menus
from apps.tenants import services as tenant_services
from tests.browser_helpers import blocking_violations, login_as
from tests.catalog.factories import make_category, make_product
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (name, path template, who): "anonymous" or "owner".
PAGES = [
    ("home", "/", "anonymous"),
    ("login", "/accounts/login/", "anonymous"),
    ("signup", "/accounts/signup/", "anonymous"),
    ("api getting started", "/api/v1/docs/getting-started/", "anonymous"),
    ("storefront home", "/s/{slug}/", "anonymous"),
    ("storefront category", "/s/{slug}/c/lamps/", "anonymous"),
    ("storefront search", "/s/{slug}/search?q=lamp", "anonymous"),
    ("storefront product", "/s/{slug}/p/brass-lamp/", "anonymous"),
    ("storefront filtered", "/s/{slug}/search?q=lamp&attr_colour=brass&price_min=10&price_max=5", "anonymous"),
    ("storefront did you mean", "/s/{slug}/search?q=lampz+brazz", "anonymous"),
    ("storefront content page", "/s/{slug}/pages/about/", "anonymous"),
    ("content pages", "/a/{slug}/catalog/pages/", "owner"),
    ("content page edit", "/a/{slug}/catalog/pages/about/", "owner"),
    ("menus", "/a/{slug}/catalog/menus/", "owner"),
    ("shop list", "/tenants/", "owner"),
    ("create shop", "/tenants/new/", "owner"),
    ("console home", "/a/{slug}/", "owner"),
    ("catalog list", "/a/{slug}/catalog/", "owner"),
    ("product edit", "/a/{slug}/catalog/products/{product_id}/", "owner"),
    ("variant matrix", "/a/{slug}/catalog/products/{product_id}/variants/matrix", "owner"),
    ("product preview", "/a/{slug}/catalog/products/{product_id}/preview", "owner"),
    ("new product", "/a/{slug}/catalog/products/new", "owner"),
    ("categories", "/a/{slug}/catalog/categories/", "owner"),
    ("import", "/a/{slug}/catalog/import/", "owner"),
    ("import preview", "/a/{slug}/catalog/import/preview/{preview}/", "owner"),
    ("members", "/a/{slug}/members/", "owner"),
    ("settings", "/a/{slug}/settings/", "owner"),
    ("analytics", "/a/{slug}/analytics/", "owner"),
    ("analytics settings", "/a/{slug}/analytics/settings/", "owner"),
    ("customers", "/a/{slug}/orders/customers/", "owner"),
    ("invoice settings", "/a/{slug}/invoices/settings/", "owner"),
    ("promotions", "/a/{slug}/promotions/", "owner"),
    ("new voucher", "/a/{slug}/promotions/vouchers/new/", "owner"),
    ("new sale", "/a/{slug}/promotions/sales/new/", "owner"),
]


@pytest.fixture
def shop():
    owner = UserFactory(email="owner@a11y.example")
    tenant = tenant_services.create_tenant(user=owner, name="Lamp Shop", slug="lamp-shop")
    analytics_services.get_or_create_settings(tenant=tenant)
    tenant = tenant_services.update_tenant(  # a themed storefront (issue 13): its colours are checked too
        tenant=tenant, by=owner, brand_colour="#7a1f5c", accent_colour="#1d4d3a", tagline="Light for every room"
    )
    with transaction.atomic():
        lamps = make_category(tenant, "Lamps", slug="lamps")
    product = make_product(
        tenant,
        "Brass Lamp",
        slug="brass-lamp",
        category=lamps,
        attributes={"colour": "brass"},
        variants=[
            {"sku": "LAMP-S", "price": "59.00", "stock": 4, "options": {"size": "S"}},
            {"sku": "LAMP-L", "price": "69.00", "stock": 0, "options": {"size": "L"}},
        ],
    )
    make_product(tenant, "Paper Lamp", category=lamps, price="19.00")
    content_pages.save_content_page(
        tenant=tenant, kind="about", title="About us", body="Lamps since 1920.\n\nMade in Lyon.", published=True
    )
    top = menus.add_menu_item(tenant=tenant, menu="header", label="Lighting", kind="category", category_id=lamps.pk)
    menus.add_menu_item(tenant=tenant, menu="header", label="Lamps", kind="path", path="c/lamps/", parent_id=top.pk)
    menus.add_menu_item(tenant=tenant, menu="header", label="About", kind="page", page_kind="about")
    menus.add_menu_item(tenant=tenant, menu="footer", label="Our story", kind="page", page_kind="about")
    csv_text = b"sku,name,price\nLAMP-X,Desk Lamp,20.00\nLAMP-Y,Floor Lamp,-1\n"
    preview = import_preview.store_preview_upload(
        tenant=tenant, upload=SimpleUploadedFile("p.csv", csv_text, content_type="text/csv")
    )
    return {"owner": owner, "tenant": tenant, "product": product, "preview": preview}


@pytest.mark.parametrize(("name", "path", "who"), PAGES, ids=[page[0] for page in PAGES])
def test_no_serious_or_critical_accessibility_violations(browser, live_server, shop, name, path, who):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        if who == "owner":
            login_as(page, shop["owner"])
        ids = {"slug": shop["tenant"].slug, "product_id": shop["product"].pk, "preview": shop["preview"]}
        url = live_server.url + path.format(**ids)
        response = page.goto(url)
        assert response.status == 200, f"{name}: {response.status}"
        found = {}
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            found[width] = blocking_violations(page)
        assert found == {1280: [], 390: []}, f"{name}: {found}"
    finally:
        context.close()


def test_the_check_reports_what_it_should(browser):
    """A page with an unlabelled button and an image without alt text is refused (the check can fail)."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content('<html lang="en"><title>x</title><main><img src="data:,"><button></button></main></html>')
    found = blocking_violations(page)
    context.close()
    assert any("button-name" in line for line in found) and any("image-alt" in line for line in found), found
