import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from apps.catalog import services
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def url(name, tenant, *args):
    return reverse(f"storefront:{name}", args=[tenant.slug, *args])


def test_home_lists_published_only(client, tenant):
    make_product(tenant, "Visible Lamp")
    make_product(tenant, "Secret Draft", status="draft")
    make_product(tenant, "Old Archived", status="archived")
    response = client.get(url("home", tenant))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Visible Lamp" in body
    assert "Secret Draft" not in body and "Old Archived" not in body


def test_draft_product_page_is_404(client, tenant):
    product = make_product(tenant, "Secret Draft", status="draft")
    assert client.get(url("product", tenant, product.slug)).status_code == 404


def test_unknown_tenant_404(client, db):
    assert client.get("/s/no-such-shop/").status_code == 404


def test_search_page_with_typo_and_analytics_attributes(client, tenant):
    make_product(tenant, "Espresso Machine")
    response = client.get(url("search", tenant), {"q": "espreso"})
    body = response.content.decode()
    assert "Espresso Machine" in body
    assert 'data-analytics-query="espreso"' in body
    assert 'data-analytics-results="1"' in body
    assert '<meta name="robots" content="noindex, follow">' in body


def test_htmx_request_renders_only_results(client, tenant):
    make_product(tenant, "Espresso Machine")
    response = client.get(url("search", tenant), {"q": "espresso"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body


def test_category_page_includes_descendants_and_pagination_links(client, tenant):
    root = make_category(tenant, "Kitchen")
    child = make_category(tenant, "Cups", parent=root)
    for i in range(26):
        make_product(tenant, f"Cup {i:02d}", category=child)
    make_product(tenant, "Unrelated Chair")
    first = client.get(url("category", tenant, "kitchen")).content.decode()
    assert "26 products" in first
    assert "Unrelated Chair" not in first
    assert re.search(r'<link rel="next" href="/s/[^"]+/c/kitchen/\?page=2">', first)
    assert f'<link rel="canonical" href="http://testserver/s/{tenant.slug}/c/kitchen/">' in first
    second = client.get(url("category", tenant, "kitchen"), {"page": 2}).content.decode()
    assert 'rel="prev"' in second and '<link rel="next"' not in second
    assert f'href="http://testserver/s/{tenant.slug}/c/kitchen/?page=2"' in second
    assert client.get(url("category", tenant, "nope")).status_code == 404


def test_product_page_seo_variants_and_escaping(client, tenant):
    product = make_product(
        tenant,
        "<script>alert(1)</script> Tee",
        variants=[
            {"sku": "TEE-S", "price": "10.00", "stock": 0, "options": {"size": "s"}},
            {"sku": "TEE-M", "price": "12.00", "stock": 3, "options": {"size": "m"}},
        ],
        description="Soft </script><b>cotton</b>",
    )
    response = client.get(url("product", tenant, product.slug))
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tee" in body
    assert f'data-analytics-product="{product.public_id}"' in body
    assert '<meta property="og:type" content="product">' in body
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(ld)
    assert data["@type"] == "Product" and len(data["offers"]) == 2
    assert "</script>" not in ld
    # default selection: first variant in stock
    assert '<span class="sku">TEE-M</span>' in body
    chosen = client.get(url("product", tenant, product.slug), {"variant": "TEE-S"}).content.decode()
    assert '<span class="sku">TEE-S</span>' in chosen and "Out of stock" in chosen


def test_sitemap_and_robots(client, tenant):
    make_product(tenant, "Chair", slug="chair")
    make_product(tenant, "Hidden", slug="hidden", status="draft")
    sitemap = client.get(url("sitemap", tenant)).content.decode()
    assert f"/s/{tenant.slug}/p/chair/" in sitemap and "hidden" not in sitemap
    robots = client.get(url("robots", tenant)).content.decode()
    assert f"Sitemap: http://testserver/s/{tenant.slug}/sitemap.xml" in robots


def test_cache_is_per_tenant_and_bumped_by_writes(
    client, tenant, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    product = make_product(tenant, "Cached Kettle")
    other = TenantFactory(slug="other-shop")
    make_product(other, "Foreign Kettle")
    assert "Cached Kettle" in client.get(url("home", tenant)).content.decode()
    with django_assert_max_num_queries(2):  # tenant lookup (+ session); the listing comes from Redis
        assert "Cached Kettle" in client.get(url("home", tenant)).content.decode()
    assert "Cached Kettle" not in client.get(url("home", other)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_product(tenant=tenant, product=product, data={"name": "Renamed Kettle"})
    assert "Renamed Kettle" in client.get(url("home", tenant)).content.decode()


def test_listing_queries_do_not_grow_with_page_size(client, tenant, django_assert_max_num_queries):
    few, full = tenant, TenantFactory()
    for i in range(3):
        make_product(few, f"Item {i}")
    for i in range(30):  # more than a page: a full page of cards
        make_product(full, f"Item {i}")
    counts = []
    for shop in (few, full):
        # tenant, facet snapshot (miss), facet counts, category tree, snapshot upsert, page ids, page
        # rows, images, single-variant ids (the cards' "Add to cart", orders), analytics settings
        # (first use: read, create, read), the shop's sale rules (promotions' price hook), the footer's
        # published content pages and the shop's menus (both cached per version)
        with django_assert_max_num_queries(15) as captured:
            assert client.get(url("home", shop)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts  # 3 cards or a full page: the same queries


def test_initial_load_under_200kb(client, tenant):
    from django.contrib.staticfiles import finders

    for i in range(24):
        make_product(tenant, f"Product {i}", description="x" * 200)
    body = client.get(url("home", tenant)).content.decode()
    total = len(body.encode())
    for asset in re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', body):
        total += Path(finders.find(asset)).stat().st_size
    assert total < 200 * 1024, total


@pytest.mark.parametrize("variants", [1, 8])
def test_product_page_queries_do_not_grow_with_variants(client, tenant, variants, django_assert_max_num_queries):
    product = make_product(
        tenant, "Many", variants=[{"sku": f"M-{variants}-{i}", "price": "1", "stock": 1} for i in range(variants)]
    )
    # Another storefront page first: the analytics beacon's settings are then cached in Redis (it costs
    # no query on a warm cache), while this product page is still rendered from the database.
    assert client.get(url("home", tenant)).status_code == 200
    # tenant, product, variants, images, category tree
    with django_assert_max_num_queries(5):
        assert client.get(url("product", tenant, product.slug)).status_code == 200
