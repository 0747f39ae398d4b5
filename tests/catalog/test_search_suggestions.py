"""Issue 13: search-as-you-type. Up to 8 suggestions (categories, then products) from the same
search as the results page (prefix, one-edit typos), published products of this shop only, cached
per catalog version; the header's search box asks for them with htmx and a debounce and never
replaces itself."""

import pytest
from django.urls import reverse

from apps.catalog import suggestions
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(tenant):
    jackets = make_category(tenant, "Rain Jackets", slug="rain-jackets")
    for i in range(10):
        make_product(tenant, f"Jacket {i:02d}", category=jackets)
    make_product(tenant, "Jacket Draft", status="draft")
    make_product(tenant, "Oak Table")
    return tenant


def test_prefix_of_a_word_suggests_categories_then_products_up_to_eight(shop):
    found = suggestions.suggest(tenant=shop, q="  JAC ")
    assert found["q"] == "jac"
    assert found["categories"] == [{"name": "Rain Jackets", "slug": "rain-jackets"}]
    names = [p["name"] for p in found["products"]]
    assert len(names) == 7 and all(n.startswith("Jacket 0") for n in names)
    assert "Jacket Draft" not in names


def test_a_typo_still_suggests(shop):
    assert [p["name"] for p in suggestions.suggest(tenant=shop, q="oak tabel")["products"]] == ["Oak Table"]


def test_one_letter_suggests_nothing(shop, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert suggestions.suggest(tenant=shop, q="j") == {"q": "j", "categories": [], "products": []}


def test_another_shop_sees_none_of_it(shop):
    other = TenantFactory()
    make_product(other, "Jacket of theirs")
    found = suggestions.suggest(tenant=other, q="jack")
    assert [p["name"] for p in found["products"]] == ["Jacket of theirs"] and found["categories"] == []


def test_suggestions_are_cached_until_the_catalog_changes(
    shop, django_assert_num_queries, django_capture_on_commit_callbacks
):
    suggestions.suggest(tenant=shop, q="oak")
    with django_assert_num_queries(0):
        assert len(suggestions.suggest(tenant=shop, q="OAK")["products"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        make_product(shop, "Oak Chair")
    assert len(suggestions.suggest(tenant=shop, q="oak")["products"]) == 2


def test_the_endpoint_renders_options_and_the_header_asks_for_them(client, shop):
    url = reverse("storefront:suggest", args=[shop.slug])
    response = client.get(url, {"q": "jack"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="option"') == 8
    assert f'<a role="option" id="shop-sugg-c1" aria-selected="false" href="/s/{shop.slug}/c/rain-jackets/">' in html
    assert client.get(url, {"q": "zzzz"}).content.decode().strip() == ""
    page = client.get(reverse("storefront:home", args=[shop.slug])).content.decode()
    assert f'hx-get="{url}" hx-trigger="input changed delay:250ms" hx-target="#shop-suggestions"' in page
    assert 'role="combobox"' in page and 'aria-controls="shop-suggestions"' in page
    assert f'action="/s/{shop.slug}/search"' in page  # submitting still opens the search page
