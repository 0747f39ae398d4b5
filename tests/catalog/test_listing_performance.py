"""The cold-page work behind storefront listings: facet snapshots in PostgreSQL (survive a Redis
flush, dropped by every committed write), page ids from the ordering's index, and the pinned
query counts of a page whose Redis entries are gone."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from apps.catalog import facet_snapshots, selectors, services
from apps.catalog.filters import parse_product_filters
from apps.catalog.models import FacetSnapshot
from tests.catalog.factories import make_category, make_product

pytestmark = pytest.mark.django_db


def home(tenant):
    return reverse("storefront:home", args=[tenant.slug])


def test_browse_facets_survive_a_cache_flush_and_writes_drop_them(
    client, tenant, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    product = make_product(tenant, "Lamp")
    client.get(home(tenant))
    assert FacetSnapshot.objects.for_tenant(tenant).count() == 1
    cache.clear()
    # tenant, snapshot (hit: no counting), category tree, page ids, page rows, images, beacon settings,
    # the cards' single-variant ids (their "Add to cart" buttons), the shop's sale rules
    # (promotions, through apps.catalog.price_hooks; cached under the catalog version), and the
    # footer's published content pages and the shop's menus (both cached per catalog version)
    with django_assert_max_num_queries(11):
        assert "Lamp" in client.get(home(tenant)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_product(tenant=tenant, product=product, data={"status": "archived"})
    assert FacetSnapshot.objects.for_tenant(tenant).count() == 0
    page = client.get(home(tenant)).content.decode()
    assert "Lamp" not in page and 'data-analytics-results="0"' in page  # recounted, not the stale 1


def test_stale_snapshot_is_recomputed_after_max_age(tenant):
    make_product(tenant, "Lamp")
    filters = parse_product_filters({})
    params = {"x": 1}
    calls = []
    compute = lambda: calls.append(1) or {"total": len(calls)}  # noqa: E731
    assert facet_snapshots.get_snapshot_facets(tenant=tenant, params=params, compute=compute) == {"total": 1}
    assert facet_snapshots.get_snapshot_facets(tenant=tenant, params=params, compute=compute) == {"total": 1}
    FacetSnapshot.objects.for_tenant(tenant).update(computed_at="2000-01-01T00:00:00Z")
    assert facet_snapshots.get_snapshot_facets(tenant=tenant, params=params, compute=compute) == {"total": 2}
    assert facet_snapshots.is_snapshotted(filters)
    assert not facet_snapshots.is_snapshotted(parse_product_filters({"q": "lamp"}))
    assert not facet_snapshots.is_snapshotted(parse_product_filters({"attr_color": "red"}))


def test_search_facets_are_not_snapshotted(client, tenant):
    make_product(tenant, "Espresso Machine")
    client.get(reverse("storefront:search", args=[tenant.slug]), {"q": "espresso"})
    assert FacetSnapshot.objects.for_tenant(tenant).count() == 0


@pytest.mark.parametrize("sort", ["newest", "price", "-price", "name"])
def test_deep_page_matches_offset_order(tenant, sort):
    category = make_category(tenant, "Cups")
    for i in range(60):
        make_product(tenant, f"Cup {i:02d}", price=str(10 + (i * 7) % 13), category=category)
    filters = parse_product_filters({"sort": sort})
    listing = selectors.get_storefront_listing(tenant=tenant, filters=filters, page=2, per_page=24)
    expected = list(selectors.search_products(tenant=tenant, filters=filters).values_list("name", flat=True)[24:48])
    assert [card["name"] for card in listing["cards"]] == expected and len(expected) == 24


def test_page_ids_are_read_in_index_order_without_a_sort(tenant):
    for i in range(30):
        make_product(tenant, f"Item {i}")
    qs = selectors.search_products(tenant=tenant, filters=parse_product_filters({"sort": "price"}))
    sql, params = qs.values_list("id", flat=True)[24:48].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_product")
        for knob in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):  # a tiny table: show what orders it
            cursor.execute(f"SET LOCAL {knob} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # (an index-only scan once VACUUM has set the visibility map, as on the seeded bench catalog)
    assert "Sort" not in plan and "catalog_product_eff_price_idx" in plan, plan  # the shoppers' (sale) price
