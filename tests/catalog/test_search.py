from decimal import Decimal

import pytest

from apps.catalog import selectors
from apps.catalog.filters import parse_product_filters
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def names(tenant, **params):
    filters = parse_product_filters(params)
    return [p.name for p in selectors.search_products(tenant=tenant, filters=filters)]


def test_prefix_typo_and_weights(tenant):
    shoes = make_category(tenant, "Shoes")
    make_product(tenant, "Trail Running Shoe", category=shoes, description="light")
    make_product(tenant, "Wool Sweater", description="great for running in winter")
    make_product(tenant, "Hidden Draft Runner", status="draft")
    # prefix while typing
    assert names(tenant, q="runn") == ["Trail Running Shoe", "Wool Sweater"]  # name (A) ranks above description (D)
    # typo tolerance
    assert "Trail Running Shoe" in names(tenant, q="runing sho")
    # category name is searchable (weight B)
    assert names(tenant, q="shoes") == ["Trail Running Shoe"]
    # drafts never public
    assert "Hidden Draft Runner" not in names(tenant, q="runner")


def test_sku_search_and_other_tenant_invisible(tenant):
    make_product(tenant, "Blue Mug", variants=[{"sku": "MUG-BLUE-01", "price": "9.00"}])
    other = TenantFactory()
    make_product(other, "Blue Mug Other", variants=[{"sku": "MUG-BLUE-02", "price": "9.00"}])
    assert names(tenant, q="MUG-BLUE") == ["Blue Mug"]


def test_filters_facets_and_sorting(tenant):
    root = make_category(tenant, "Clothing")
    shirts = make_category(tenant, "Shirts", parent=root)
    make_product(tenant, "Red Shirt", category=shirts, price="20.00", attributes={"color": "red"})
    make_product(tenant, "Blue Shirt", category=shirts, price="60.00", stock=0, attributes={"color": "blue"})
    make_product(tenant, "Mug", price="5.00")
    assert names(tenant, category="clothing", sort="price") == ["Red Shirt", "Blue Shirt"]
    assert names(tenant, category="clothing", sort="-price") == ["Blue Shirt", "Red Shirt"]
    assert names(tenant, in_stock="1", sort="name") == ["Mug", "Red Shirt"]
    assert names(tenant, price_min="10", price_max="30") == ["Red Shirt"]
    assert names(tenant, attr_color="blue") == ["Blue Shirt"]
    facets = selectors.get_facets(tenant=tenant, filters=parse_product_filters({}))
    assert facets["total"] == 3
    assert facets["in_stock"] == 2
    assert facets["categories"] == [{"slug": "clothing", "name": "Clothing", "count": 2}]
    buckets = {b["min"]: b["count"] for b in facets["price_buckets"]}
    assert buckets["0"] == 2 and buckets["50"] == 1
    color = next(a for a in facets["attributes"] if a["key"] == "color")
    assert sorted((v["value"], v["count"]) for v in color["values"]) == [("blue", 1), ("red", 1)]
    narrowed = selectors.get_facets(tenant=tenant, filters=parse_product_filters({"q": "shirt"}))
    assert narrowed["total"] == 2


def test_summaries_follow_variants(tenant):
    product = make_product(
        tenant,
        "Tee",
        variants=[{"sku": "T-S", "price": "10.00", "stock": 0}, {"sku": "T-M", "price": "12.50", "stock": 3}],
    )
    assert product.price_min == Decimal("10.00")
    assert product.price_max == Decimal("12.50")
    assert product.stock_total == 3


def test_resolve_refs_and_labels(tenant):
    product = make_product(tenant, "Lamp", variants=[{"sku": "LAMP-1", "price": "30"}])
    other = make_product(TenantFactory(), "Other", variants=[{"sku": "OTHER-1", "price": "1"}])
    refs = [str(product.public_id), str(product.pk), "LAMP-1", "OTHER-1", str(other.public_id), "nope"]
    resolved = selectors.resolve_product_refs(tenant=tenant, refs=refs)
    assert resolved == {str(product.public_id): product.pk, str(product.pk): product.pk, "LAMP-1": product.pk}
    assert selectors.get_product_labels(tenant=tenant, product_ids=[product.pk, other.pk]) == {product.pk: "Lamp"}
