"""Arbitrary query strings and bodies never produce a 500: 200 or an error in the contract's shape."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalog.factories import make_category, make_product

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))  # raise for a longer hunt

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
params = st.fixed_dictionaries(
    {},
    optional={
        "q": text,
        "category": text,
        "price_min": st.one_of(text, st.decimals(allow_nan=True, allow_infinity=True).map(str)),
        "price_max": text,
        "in_stock": text,
        "ordering": st.one_of(text, st.sampled_from(["price", "-price", "name", "newest", "relevance"])),
        "limit": st.one_of(text, st.integers(-5, 500).map(str)),
        "attr_color": text,
        "cursor": text,
    },
)


@pytest.fixture
def shop(tenant):
    make_product(tenant, "Red Kettle", category=make_category(tenant, "Kitchen"), attributes={"color": "red"})
    return tenant


def check(response):
    assert response.status_code in (200, 400, 404, 429), (
        response.status_code,
        response.content[:300],
    )  # 429: a long hunt meets the anonymous rate
    if response.status_code != 200:
        assert set(response.json()["error"]) == {"code", "message", "details", "request_id"}


@settings(
    max_examples=EXAMPLES + 20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=params)
def test_public_list_never_fails(client, shop, query):
    check(client.get(f"/api/v1/t/{shop.slug}/catalog/public/products/", query))


@settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=params)
def test_storefront_search_never_fails(client, shop, query):
    response = client.get(f"/s/{shop.slug}/search", query)
    assert response.status_code == 200


variant = st.fixed_dictionaries(
    {},
    optional={
        "sku": text,
        "price": st.one_of(text, st.floats().map(str), st.integers().map(str)),
        "stock": st.integers(-10, 10**12),
        "currency": text,
        "options": st.dictionaries(text, text, max_size=3),
    },
)
product = st.fixed_dictionaries(
    {},
    optional={
        "name": text,
        "slug": text,
        "status": text,
        "category": st.integers(-5, 10**12),
        "attributes": st.dictionaries(text, text, max_size=3),
        "variants": st.lists(variant, max_size=3),
    },
)


@settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=product)
def test_create_product_never_fails(client, shop, make_member, body):
    client.force_login(make_member(shop, "editor"))
    response = client.post(f"/api/v1/t/{shop.slug}/catalog/products/", body, content_type="application/json")
    assert response.status_code in (201, 400, 409), (response.status_code, response.content[:300])
    if response.status_code != 201:
        assert set(response.json()["error"]) == {"code", "message", "details", "request_id"}


@pytest.mark.parametrize("params", [{"attr_color": "a\x00b"}, {"q": "a\x00b"}, {"category": "x\x00"}])
def test_nul_characters_in_filters(client, shop, params):
    """Found by the fuzzer: PostgreSQL refuses NUL in strings (it was a 500)."""
    assert client.get(f"/s/{shop.slug}/search", params).status_code == 200
    assert client.get(f"/api/v1/t/{shop.slug}/catalog/public/products/", params).status_code == 200


@pytest.mark.parametrize(
    "limit", ["3\u00b9", "\u00b2", "\u2460"], ids=["superscript-one", "superscript-two", "circled-one"]
)
def test_a_limit_of_digit_like_characters_is_a_400_not_a_500(client, shop, limit):
    """``"3¹".isdigit()`` is true but ``int("3¹")`` fails: found by the fuzzer (a 500 before)."""
    response = client.get(f"/api/v1/t/{shop.slug}/catalog/public/products/", {"limit": limit})
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"
