"""apps.catalog.selectors: access_* fetch for the tenant or raise NotFound; one ordering table."""

import pytest

from apps.catalog import selectors
from apps.catalog.filters import parse_product_filters
from apps.catalog.validation import ORDERINGS, PUBLIC_ORDERINGS, SORT_LABELS, SORTS
from apps.core.errors import NotFound
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def test_access_selectors_return_the_tenants_rows(tenant):
    product = make_product(tenant, "Lamp")
    variant = product.variants.get()
    category = make_category(tenant, "Lamps")
    assert selectors.access_product(tenant=tenant, product_id=product.pk) == product
    assert selectors.access_variant(tenant=tenant, product=product, variant_id=variant.pk) == variant
    assert selectors.access_category(tenant=tenant, category_id=category.pk) == category


@pytest.mark.parametrize("kind", ["product", "variant", "category", "job", "image"])
def test_access_selectors_refuse_other_tenants_rows_with_not_found(tenant, kind):
    other = TenantFactory()
    theirs = make_product(other, "Theirs")
    mine = make_product(tenant, "Mine")
    calls = {
        "product": lambda: selectors.access_product(tenant=tenant, product_id=theirs.pk),
        "variant": lambda: selectors.access_variant(tenant=tenant, product=mine, variant_id=theirs.variants.get().pk),
        "category": lambda: selectors.access_category(tenant=tenant, category_id=make_category(other, "X").pk),
        "job": lambda: selectors.access_job(tenant=tenant, job_id=10**9),
        "image": lambda: selectors.access_image(tenant=tenant, product=mine, image_id=10**9),
    }
    with pytest.raises(NotFound):
        calls[kind]()


def test_access_product_public_hides_drafts(tenant):
    draft = make_product(tenant, "Draft", status="draft")
    assert selectors.access_product(tenant=tenant, product_id=draft.pk) == draft
    with pytest.raises(NotFound):
        selectors.access_product(tenant=tenant, product_id=draft.pk, public=True)


def test_the_sort_menu_filters_and_orderings_name_the_same_sorts():
    assert {name for name, _ in SORT_LABELS} == set(ORDERINGS) == SORTS


@pytest.mark.parametrize("sort", ["newest", "price", "-price", "name"])
def test_search_products_orders_by_the_one_table(tenant, sort):
    for name, price in (("Beta", "20"), ("Alpha", "30"), ("Gamma", "10")):
        make_product(tenant, name, price=price)
    filters = parse_product_filters({"sort": sort})
    ordered = list(selectors.search_products(tenant=tenant, filters=filters).values_list("name", flat=True))
    expected = {
        "newest": ["Gamma", "Alpha", "Beta"],
        "price": ["Gamma", "Beta", "Alpha"],
        "-price": ["Alpha", "Beta", "Gamma"],
        "name": ["Alpha", "Beta", "Gamma"],
    }
    assert ordered == expected[sort]
    # shoppers sort by the sale-adjusted price, members (console, staff API) by the catalog price
    assert selectors.search_products(tenant=tenant, filters=filters).query.order_by == PUBLIC_ORDERINGS[sort]
    assert selectors.search_products(tenant=tenant, filters=filters, public=False).query.order_by == ORDERINGS[sort]
