"""Issue 12, automatic sales in sorting and price filters: the storefront, its search and the
public API sort, filter and count price facets by the price a shopper pays (the stored
``Product.effective_price_min``), kept right when a sale starts, ends, changes or goes, when a
variant's price changes during a sale, and when a product or category moves into a sale. The
console and the staff API keep the catalog price."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from apps.catalog import price_hooks, selectors
from apps.catalog import services as catalog_services
from apps.catalog.filters import parse_product_filters
from apps.catalog.models import Product
from apps.promotions import services
from apps.promotions.models import Sale
from apps.promotions.sales import announce_sale_changes, reconcile_sale_prices
from apps.promotions.tasks import announce_sales, reconcile_sales
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory
from tests.promotions.conftest import make_sale

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return re.findall(r'<h3 class="product-name">([^<]+)</h3>', response.content.decode())


def _search(client, tenant, **params):
    return client.get(reverse("storefront:search", args=[tenant.slug]), params)


def _api(client, tenant, **params) -> dict:
    response = client.get(f"/api/v1/t/{tenant.slug}/catalog/public/products/", params)
    assert response.status_code == 200, response.content
    return response.json()


def _effective(product) -> Decimal | None:
    return Product.objects.for_tenant(product.tenant_id).get(pk=product.pk).effective_price_min


@pytest.fixture
def lamps(tenant):
    """Three lamps: the Floor Lamp (30.00) goes 40 % off to 18.00, below the Desk (19.00) and
    Wall (20.00) lamps, which are not on sale."""
    lighting = make_category(tenant, "Lighting")
    floor = make_product(tenant, "Floor Lamp", price="30.00", category=lighting, slug="floor-lamp")
    desk = make_product(tenant, "Desk Lamp", price="19.00", slug="desk-lamp")
    wall = make_product(tenant, "Wall Lamp", price="20.00", slug="wall-lamp")
    return {"lighting": lighting, "floor": floor, "desk": desk, "wall": wall}


def test_a_product_on_sale_sorts_filters_and_counts_by_its_sale_price(client, tenant, lamps):
    assert _names(_search(client, tenant, sort="price")) == ["Desk Lamp", "Wall Lamp", "Floor Lamp"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        make_sale(tenant, category=lamps["lighting"], percentage="40")
    assert _effective(lamps["floor"]) == Decimal("18.00") and _effective(lamps["desk"]) == Decimal("19.00")

    assert _names(_search(client, tenant, sort="price")) == ["Floor Lamp", "Desk Lamp", "Wall Lamp"]
    assert _names(_search(client, tenant, sort="-price")) == ["Wall Lamp", "Desk Lamp", "Floor Lamp"]
    # "under 19.50": the 30.00 lamp on sale for 18.00 is in, the 20.00 one is not
    under = _search(client, tenant, price_max="19.50", sort="price")
    assert _names(under) == ["Floor Lamp", "Desk Lamp"] and "€18.00" in under.content.decode()
    assert _names(_search(client, tenant, price_min="25")) == []  # its catalog price no longer counts
    assert _names(_search(client, tenant, q="lamp", sort="price", price_max="19.50")) == ["Floor Lamp", "Desk Lamp"]
    # the price facet counts it where its sale price is
    facets = selectors.get_facets(tenant=tenant, filters=parse_product_filters({}))
    assert [b["count"] for b in facets["price_buckets"][:2]] == [3, 0]

    # the public API agrees: same order, same filter, and it reports the sale price
    api = _api(client, tenant, sort="price")["results"]
    assert [p["name"] for p in api] == ["Floor Lamp", "Desk Lamp", "Wall Lamp"]
    assert api[0]["price_min"] == "18.00"
    assert [p["name"] for p in _api(client, tenant, ordering="-price")["results"]][0] == "Wall Lamp"
    assert [p["name"] for p in _api(client, tenant, price_max="19.50", sort="price")["results"]] == [
        "Floor Lamp",
        "Desk Lamp",
    ]


def test_the_api_cursor_pages_through_sale_prices_in_order(client, tenant, lamps):
    with TestCase.captureOnCommitCallbacks(execute=True):
        make_sale(tenant, products=[lamps["floor"]], percentage="40")
    first = _api(client, tenant, sort="price", limit=2)
    second = client.get(first["next"]).json()
    assert [p["name"] for p in first["results"] + second["results"]] == ["Floor Lamp", "Desk Lamp", "Wall Lamp"]


def test_the_console_and_staff_lists_keep_the_catalog_price(tenant, lamps):
    make_sale(tenant, category=lamps["lighting"], percentage="40")
    filters = parse_product_filters({"sort": "price", "price_max": "19.50"})
    staff = selectors.search_products(tenant=tenant, filters=filters, public=False)
    assert list(staff.values_list("name", flat=True)) == ["Desk Lamp"]


def test_when_the_sale_ends_the_beat_job_puts_it_back(client, tenant, lamps):
    with TestCase.captureOnCommitCallbacks(execute=True):
        sale = make_sale(tenant, category=lamps["lighting"], percentage="40", lasts=600)
    assert _names(_search(client, tenant, price_max="19.50")) == ["Desk Lamp", "Floor Lamp"]  # newest first

    # the clock moved past the end: the beat job claims the end and stores the catalog price again
    later = sale.ends_at + timedelta(seconds=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert announce_sale_changes(now=later) == 1
    assert _effective(lamps["floor"]) == Decimal("30.00")
    filters = parse_product_filters({"sort": "price", "price_max": "19.50"})
    assert list(selectors.search_products(tenant=tenant, filters=filters).values_list("name", flat=True)) == [
        "Desk Lamp"
    ]


def test_a_sale_that_ended_leaves_the_cached_listing_at_the_next_beat(client, tenant, lamps):
    with TestCase.captureOnCommitCallbacks(execute=True):
        sale = make_sale(tenant, products=[lamps["floor"]], percentage="40")
    assert _names(_search(client, tenant, sort="price"))[0] == "Floor Lamp"

    ended = timezone.now() - timedelta(seconds=1)  # ended in the database, no service call
    Sale.objects.for_tenant(tenant).filter(pk=sale.pk).update(ends_at=ended)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert announce_sales() == 1  # the task the beat schedule runs
    assert _names(_search(client, tenant, sort="price")) == ["Desk Lamp", "Wall Lamp", "Floor Lamp"]
    assert _api(client, tenant, sort="price")["results"][2]["price_min"] == "30.00"


def test_a_sale_starting_later_is_stored_when_the_beat_job_announces_it(tenant, lamps):
    sale = make_sale(tenant, products=[lamps["floor"]], percentage="40", starts_in=600)
    assert _effective(lamps["floor"]) == Decimal("30.00")  # not started yet
    assert announce_sale_changes(now=sale.starts_at + timedelta(seconds=1)) == 1
    assert _effective(lamps["floor"]) == Decimal("18.00")


def test_a_variant_price_edit_during_a_sale_keeps_the_effective_price(client, tenant, lamps):
    with TestCase.captureOnCommitCallbacks(execute=True):
        make_sale(tenant, category=lamps["lighting"], percentage="40")
    variant = lamps["floor"].variants.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        catalog_services.update_variant(tenant=tenant, variant=variant, data={"price": "50.00"})
    assert _effective(lamps["floor"]) == Decimal("30.00")  # 40 % off the new price
    assert _names(_search(client, tenant, sort="price")) == ["Desk Lamp", "Wall Lamp", "Floor Lamp"]
    with TestCase.captureOnCommitCallbacks(execute=True):  # a second, cheaper variant
        catalog_services.create_variant(
            tenant=tenant, product=lamps["floor"], data={"sku": "FLOOR-S", "price": "25.00", "stock": 3}
        )
    assert _effective(lamps["floor"]) == Decimal("15.00")
    assert _names(_search(client, tenant, sort="price"))[0] == "Floor Lamp"


def test_products_and_categories_moving_into_a_sale(tenant, lamps):
    make_sale(tenant, category=lamps["lighting"], percentage="40")
    created = make_product(tenant, "Table Lamp", price="10.00", category=lamps["lighting"])
    assert _effective(created) == Decimal("6.00")  # created in a category on sale

    catalog_services.update_product(tenant=tenant, product=created, data={"category": None})
    assert _effective(created) == Decimal("10.00")
    catalog_services.update_product(tenant=tenant, product=lamps["desk"], data={"category": lamps["lighting"].pk})
    assert _effective(lamps["desk"]) == Decimal("11.40")

    outdoor = make_category(tenant, "Outdoor")
    garden = make_product(tenant, "Garden Lamp", price="40.00", category=outdoor)
    catalog_services.update_category(tenant=tenant, category=outdoor, data={"parent": lamps["lighting"].pk})
    assert _effective(garden) == Decimal("24.00")  # its category moved under the sale's
    catalog_services.update_category(tenant=tenant, category=outdoor, data={"parent": None})
    assert _effective(garden) == Decimal("40.00")


def test_editing_and_deleting_the_sale_and_the_best_sale_winning(tenant, lamps):
    sale = make_sale(tenant, category=lamps["lighting"], percentage="40")
    make_sale(tenant, products=[lamps["floor"], lamps["wall"]], percentage="10", name="Small sale")
    assert (_effective(lamps["floor"]), _effective(lamps["wall"])) == (Decimal("18.00"), Decimal("18.00"))

    data = {
        "name": sale.name,
        "percentage": "50",
        "products": [],
        "category": lamps["lighting"].pk,
        "starts_at": sale.starts_at.isoformat(),
        "ends_at": sale.ends_at.isoformat(),
    }
    services.update_sale(tenant=tenant, sale=sale, data=data)
    assert _effective(lamps["floor"]) == Decimal("15.00")
    services.update_sale(tenant=tenant, sale=sale, data={**data, "is_active": False})
    assert _effective(lamps["floor"]) == Decimal("27.00")  # only the 10 % sale is live now
    services.delete_sale(tenant=tenant, sale=sale)
    assert _effective(lamps["floor"]) == Decimal("27.00") and _effective(lamps["desk"]) == Decimal("19.00")


def test_a_deleted_sale_category_takes_its_sale_with_it(tenant):
    hats = make_category(tenant, "Hats")
    hat = make_product(tenant, "Cap", price="10.00", category=hats)
    make_sale(tenant, category=hats, percentage="20")
    assert _effective(hat) == Decimal("8.00")
    catalog_services.delete_category(tenant=tenant, category=hats)  # the sale cascades away
    assert _effective(hat) == Decimal("10.00")


def test_sales_of_one_shop_do_not_touch_another(tenant, lamps):
    other = TenantFactory()
    theirs = make_product(other, "Floor Lamp", price="30.00")
    make_sale(tenant, category=lamps["lighting"], percentage="40")
    make_sale(tenant, products=[lamps["desk"]], percentage="40")
    assert _effective(theirs) == Decimal("30.00")


@pytest.mark.parametrize(
    ("price", "percentage"),
    [("30.00", "40"), ("0.15", "33.33"), ("19.99", "12.5"), ("0.05", "50"), ("1234567.89", "99.99"), ("0.00", "10")],
)
def test_the_stored_price_is_the_one_formula(tenant, price, percentage):
    product = make_product(tenant, "Odd", price=price)
    make_sale(tenant, products=[product], percentage=percentage)
    assert _effective(product) == price_hooks.sale_price(Decimal(price), Decimal(percentage))


def test_the_sorted_listing_costs_no_more_queries_on_sale(client, tenant, django_assert_max_num_queries):
    plain = TenantFactory()
    for shop in (plain, tenant):
        for i in range(30):
            make_product(shop, f"Item {i}", price=str(10 + i))
    make_sale(tenant, products=list(Product.objects.for_tenant(tenant)[:10]), percentage="40")
    counts = []
    for shop in (plain, tenant):
        # the listing's pinned queries (tests/catalog/test_storefront.py: 15 with the shop's menus),
        # on the sorted, filtered search
        with django_assert_max_num_queries(15) as captured:
            response = client.get(reverse("storefront:search", args=[shop.slug]), {"sort": "price", "price_max": "30"})
            assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_the_sorted_public_listing_reads_the_sale_price_index(tenant, lamps):
    make_sale(tenant, category=lamps["lighting"], percentage="40")
    filters = parse_product_filters({"sort": "price", "price_max": "19.50"})
    qs = selectors.search_products(tenant=tenant, filters=filters)
    sql, params = qs.values_list("id", flat=True)[:24].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_product")
        for knob in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):  # a tiny table: show what orders it
            cursor.execute(f"SET LOCAL {knob} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Sort" not in plan and "catalog_product_eff_price_idx" in plan, plan


def test_the_command_restores_sale_prices_written_outside_the_services(tenant, lamps):
    make_sale(tenant, category=lamps["lighting"], percentage="40")
    Product.objects.for_tenant(tenant).update(sale_percentage=None)  # e.g. rows from before migration 0007
    assert _effective(lamps["floor"]) == Decimal("30.00")
    out = StringIO()
    call_command("refresh_sale_prices", stdout=out)
    assert _effective(lamps["floor"]) == Decimal("18.00") and _effective(lamps["desk"]) == Decimal("19.00")
    assert "product rows written" in out.getvalue()


def test_a_refresh_writes_only_the_rows_whose_sale_changed(tenant, lamps):
    make_sale(tenant, category=lamps["lighting"], percentage="40")
    assert catalog_services.refresh_sale_percentages(tenant=tenant) == 0  # already right: no row rewritten
    make_sale(tenant, products=[lamps["desk"], lamps["floor"]], percentage="50")  # the desk lamp and a better floor
    Product.objects.for_tenant(tenant).update(sale_percentage=None)
    assert catalog_services.refresh_sale_percentages(tenant=tenant) == 2
    assert (_effective(lamps["floor"]), _effective(lamps["desk"])) == (Decimal("15.00"), Decimal("9.50"))


def test_the_reconciliation_job_repairs_what_the_services_could_not_see(tenant, lamps):
    make_sale(tenant, category=lamps["lighting"], percentage="40")
    stale = TenantFactory()
    leftover = make_product(stale, "Old Lamp", price="10.00")
    Product.objects.for_tenant(stale).update(sale_percentage=Decimal("50"))  # marked, no sale
    Product.objects.for_tenant(tenant).update(sale_percentage=None)  # e.g. rows from before 0007
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert reconcile_sales() == 2  # the task the beat schedule runs
    assert _effective(lamps["floor"]) == Decimal("18.00") and _effective(leftover) == Decimal("10.00")
    assert reconcile_sale_prices() == 0  # nothing left to change
    entry = settings.CELERY_BEAT_SCHEDULE["promotions-reconcile-sale-prices"]
    assert entry["task"] == "promotions.reconcile_sale_prices"
