"""Issue 13: choosing a variant by its options on the product page (natural order, option names
as labels, impossible combinations disabled, sold-out values marked, price and stock follow)."""

import re

import pytest
from django.urls import reverse

from apps.catalog.variant_choice import build_option_groups, option_sort_key, pick_variant
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


def variant(sku, stock=1, **options):
    return {"sku": sku, "stock": stock, "options": options}


def test_sizes_and_numbers_sort_naturally():
    assert sorted(["XL", "S", "L", "M", "XS", "2XL"], key=option_sort_key) == ["XS", "S", "M", "L", "XL", "2XL"]
    assert sorted(["45", "40", "44", "38.5"], key=option_sort_key) == ["38.5", "40", "44", "45"]
    assert sorted(["red", "Blue", "green"], key=option_sort_key) == ["Blue", "green", "red"]


def test_groups_disable_impossible_combinations_and_mark_sold_out():
    variants = [
        variant("R-S", size="S", colour="red"),
        variant("R-M", size="M", colour="red", stock=0),
        variant("B-M", size="M", colour="blue"),
    ]
    groups = build_option_groups(variants, variants[0])  # red, S
    size, colour = groups
    assert (size["label"], colour["label"]) == ("Size", "Colour")
    assert [(v["value"], v["checked"], v["disabled"], v["sold_out"]) for v in size["values"]] == [
        ("S", True, False, False),
        ("M", False, False, True),  # red M exists but is sold out
    ]
    assert [(v["value"], v["disabled"]) for v in colour["values"]] == [("blue", True), ("red", False)]  # no blue S


def test_pick_by_options_then_sku_then_first_in_stock():
    variants = [variant("A", stock=0, size="S"), variant("B", size="M"), variant("C", size="L")]
    assert pick_variant(variants, chosen={"size": "L"})["sku"] == "C"
    assert pick_variant(variants, sku="A", chosen={"size": "L"})["sku"] == "A"
    assert pick_variant(variants, chosen={"size": "nope"})["sku"] == "B"
    assert pick_variant([variant("X")] * 0) is None


def test_product_page_offers_options_and_follows_the_choice(client, tenant):
    product = make_product(
        tenant,
        "Trail Shoe",
        variants=[
            {"sku": "SH-44-RED", "price": "90.00", "stock": 2, "options": {"size": "44", "colour": "red"}},
            {"sku": "SH-40-RED", "price": "80.00", "stock": 5, "options": {"size": "40", "colour": "red"}},
            {"sku": "SH-40-BLUE", "price": "85.00", "stock": 0, "options": {"size": "40", "colour": "blue"}},
        ],
    )
    path = reverse("storefront:product", args=[tenant.slug, product.slug])
    html = client.get(path).content.decode()
    assert re.findall(r'name="opt_size" value="([^"]+)"', html) == ["40", "44"]
    assert '<legend>Size: <span class="option-current">44</span></legend>' in html
    assert "Choose</button>" not in html and "<noscript>" in html
    html = client.get(path, {"opt_size": "40", "opt_colour": "blue"}).content.decode()
    assert '<span class="sku">SH-40-BLUE</span>' in html
    assert "€85.00" in html and "Out of stock" in html
    # with blue chosen, size 44 makes no variant: disabled
    assert re.search(r'name="opt_size" value="44" disabled', html)
