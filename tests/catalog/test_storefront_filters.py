"""Issue 13, storefront filters on the server: prices as people type them, min > max told,
several values per attribute facet (OR within, AND across) with counts that stay right, and the
active filters as removable chips."""

import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from apps.catalog.filters import parse_product_filters, read_price_text
from apps.core.errors import ApplicationError
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


def search_url(tenant, query=""):
    return reverse("storefront:search", args=[tenant.slug]) + ("?" + query if query else "")


def card_names(response) -> list[str]:
    return re.findall(r'<h3 class="product-name">([^<]+)</h3>', response.content.decode())


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("20", "20"),
        ("20,50", "20.50"),
        ("€20", "20"),
        ("20 €", "20"),
        ("EUR 1.234,50", "1234.50"),
        ("$1,234.50", "1234.50"),
        ("1,000", "1000"),
        ("1.234.567", "1234567"),
    ],
)
def test_price_text_as_people_type_it(typed, read):
    assert read_price_text(typed) == read
    filters = parse_product_filters(QueryDict(f"price_min={typed.replace('$', '%24').replace('€', '%E2%82%AC')}"))
    assert str(filters.price_min) == read
    assert filters.notices == ()


def test_min_above_max_is_swapped_and_told():
    filters = parse_product_filters(QueryDict("price_min=100&price_max=20"))
    assert (filters.price_min, filters.price_max) == (20, 100)
    assert filters.notices and "above the highest" in filters.notices[0]


def test_not_a_price_is_left_out_and_told():
    filters = parse_product_filters(QueryDict("price_min=cheap&price_max=30"))
    assert filters.price_min is None and str(filters.price_max) == "30"
    assert "“cheap” is not a price" in filters.notices[0]


def test_api_stays_strict():
    with pytest.raises(ApplicationError) as info:
        parse_product_filters(QueryDict("price_min=20,50"), strict=True)
    assert "price_min" in info.value.details


def test_storefront_reads_a_decimal_comma_and_explains_a_swap(client, tenant):
    make_product(tenant, "Cheap Mug", price="12.00")
    make_product(tenant, "Mid Mug", price="24.50")
    make_product(tenant, "Dear Mug", price="80.00")
    response = client.get(search_url(tenant, "price_min=20%2C5&price_max=%E2%82%AC30"))
    assert card_names(response) == ["Mid Mug"]
    response = client.get(search_url(tenant, "price_min=30&price_max=10"))
    assert sorted(card_names(response)) == ["Cheap Mug", "Mid Mug"]
    assert "was above the highest" in response.content.decode()
    # The same filters without the swap are the same results, but no notice (the cached
    # fragment is keyed by the notice too).
    response = client.get(search_url(tenant, "price_min=10&price_max=30"))
    assert sorted(card_names(response)) == ["Cheap Mug", "Mid Mug"]
    assert "was above the highest" not in response.content.decode()


def test_price_inputs_are_text_kept_across_swaps(client, tenant):
    make_product(tenant, "Mug", price="12.00")
    html = client.get(search_url(tenant)).content.decode()
    assert 'id="price-range" hx-preserve' in html
    assert re.search(r'<input id="f-min" type="text" name="price_min" inputmode="decimal"', html)


def test_cards_are_headed_and_a_skip_link_passes_the_facets(client, tenant):
    make_product(tenant, "Oak Table", price="120.00")
    html = client.get(reverse("storefront:home", args=[tenant.slug])).content.decode()
    assert '<h3 class="product-name">Oak Table</h3>' in html
    assert '<h2 id="products-heading" class="visually-hidden">Products</h2>' in html
    skip = html.index('href="#products"')
    assert skip < html.index('class="facets"') < html.index('id="products"')


@pytest.fixture
def shirts(tenant):
    make_product(tenant, "Red Shirt M", attributes={"colour": "red", "size": "M"})
    make_product(tenant, "Red Shirt L", attributes={"colour": "red", "size": "L"})
    make_product(tenant, "Blue Shirt M", attributes={"colour": "blue", "size": "M"})
    make_product(tenant, "Green Shirt M", attributes={"colour": "green", "size": "M"}, stock=0)
    return tenant


def facet_counts(response, key) -> dict[str, tuple[int, bool]]:
    facet = next(f for f in response.context["facets"]["attributes"] if f["key"] == key)
    return {v["value"]: (v["count"], v["selected"]) for v in facet["values"]}


def test_several_values_of_one_facet_are_or_and_facets_are_and(client, shirts):
    response = client.get(search_url(shirts, "attr_colour=red&attr_colour=blue"))
    assert sorted(card_names(response)) == ["Blue Shirt M", "Red Shirt L", "Red Shirt M"]
    response = client.get(search_url(shirts, "attr_colour=red&attr_colour=blue&attr_size=M"))
    assert sorted(card_names(response)) == ["Blue Shirt M", "Red Shirt M"]


def test_a_chosen_facet_counts_its_values_as_if_unfiltered(client, shirts):
    response = client.get(search_url(shirts, "attr_colour=red"))
    # colour counts ignore the colour filter: ticking blue would add one product
    assert facet_counts(response, "colour") == {"red": (2, True), "blue": (1, False), "green": (1, False)}
    # size counts are over the red shirts only
    assert facet_counts(response, "size") == {"M": (1, False), "L": (1, False)}
    html = response.content.decode()
    assert re.search(r'name="attr_colour" value="red" checked', html)
    assert not re.search(r'name="attr_colour" value="blue" checked', html)


def test_more_than_eight_values_hide_behind_more(client, tenant):
    for n in range(11):
        make_product(tenant, f"Mug {n}", attributes={"pattern": f"p{n:02d}"})
    response = client.get(search_url(tenant))
    assert len(facet_counts(response, "pattern")) == 11
    html = response.content.decode()
    more = html.index('<details class="facet-more"')
    assert html.count('name="attr_pattern"', 0, more) == 8
    assert html.count('name="attr_pattern"', more) == 3
    assert "More pattern (3)" in html
    # a chosen value behind "More" keeps it open
    html = client.get(search_url(tenant, "attr_pattern=p10")).content.decode()
    assert '<details class="facet-more" open>' in html


def test_active_filters_are_chips_that_remove_themselves(client, shirts):
    response = client.get(search_url(shirts, "attr_colour=red&attr_colour=blue&in_stock=1&price_min=10"))
    html = response.content.decode()
    chips = {
        label.strip(): href.replace("&amp;", "&")
        for href, label in re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)<span', html)
    }
    assert set(chips) == {"From €10.00", "In stock", "Colour: red", "Colour: blue"}
    assert "attr_colour=red" not in chips["Colour: red"] and "attr_colour=blue" in chips["Colour: red"]
    assert "price_min" not in chips["From €10.00"] and "in_stock=1" in chips["From €10.00"]
    assert sorted(card_names(client.get(chips["Colour: red"]))) == ["Blue Shirt M"]
    clear = re.search(r'<a class="chip-clear" href="([^"]+)"', html).group(1)
    assert sorted(card_names(client.get(clear))) == ["Blue Shirt M", "Green Shirt M", "Red Shirt L", "Red Shirt M"]
    assert "Filters (4)" in html


def test_category_page_chips_keep_the_category(client, tenant):
    from tests.catalog.factories import make_category

    shirts = make_category(tenant, "Shirts")
    make_product(tenant, "Red Shirt", category=shirts, attributes={"colour": "red"})
    make_product(tenant, "Red Mug", attributes={"colour": "red"})
    path = reverse("storefront:category", args=[tenant.slug, shirts.slug])
    html = client.get(path + "?attr_colour=red").content.decode()
    clear = re.search(r'<a class="chip-clear" href="([^"]+)"', html).group(1)
    assert clear == path
