"""Issue 13: one-edit typos of any word of four letters or more find the product on PostgreSQL
(and, through the same vocabulary, on SQLite: tests/test_smoke_embedded.py), the page says what
it searched for instead, and "Did you mean ...?" appears when nothing matches at all."""

import re

import pytest
from django.urls import reverse

from apps.catalog import selectors
from apps.catalog.filters import parse_product_filters
from apps.catalog.spelling import correct_terms, edit_distance, vocabulary_words
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


def names(tenant, q):
    filters = parse_product_filters({"q": q})
    return [p.name for p in selectors.search_products(tenant=tenant, filters=filters)]


def test_edit_distance_counts_swaps_as_one_and_stops_early():
    assert edit_distance("jaket", "jacket", 2) == 1
    assert edit_distance("jakcet", "jacket", 2) == 1
    assert edit_distance("abcdef", "uvwxyz", 1) == 2  # limit + 1: gave up
    assert edit_distance("shoe", "shoe", 1) == 0


def test_vocabulary_and_corrections():
    vocabulary = vocabulary_words(["Rain Jacket", "Cotton T-Shirt", "Waterproof Trousers"])
    assert correct_terms(["jaket"], vocabulary) == ["jacket"]
    assert correct_terms(["tshirt"], vocabulary) == ["t", "shirt"]
    assert correct_terms(["watreproof"], vocabulary) == ["waterproof"]  # two edits allowed from 8 letters
    assert correct_terms(["cat"], vocabulary) == ["cat"]  # short words are left alone


@pytest.mark.parametrize("typed", ["jaket", "jackt", "jakcet", "jackett", "rain jaket", "RAIN JACKT"])
def test_one_edit_typos_find_the_product(tenant, typed):
    make_product(tenant, "Rain Jacket")
    make_product(tenant, "Wool Sweater")
    assert names(tenant, typed) == ["Rain Jacket"]


def test_tshirt_finds_a_t_shirt(tenant):
    make_product(tenant, "Cotton T-Shirt")
    make_product(tenant, "Rain Jacket")
    assert names(tenant, "tshirt") == ["Cotton T-Shirt"]
    assert names(tenant, "tshrt") == ["Cotton T-Shirt"]


def test_page_says_what_it_searched_for_and_did_you_mean(client, tenant):
    make_product(tenant, "Rain Jacket")
    path = reverse("storefront:search", args=[tenant.slug])
    html = client.get(path, {"q": "jaket"}).content.decode()
    assert "Rain Jacket" in html
    assert "showing results for “<strong>jacket</strong>”" in html
    # found as typed: no note
    assert "showing results for" not in client.get(path, {"q": "jacket"}).content.decode()
    # nothing at all within one edit, but something close: did you mean
    html = client.get(path, {"q": "jakkit"}).content.decode()
    assert "No products found" in html
    link = re.search(r'Did you mean <a href="([^"]+)">([^<]+)</a>', html)
    assert link and link.group(2) == "jacket"
    assert "Rain Jacket" in client.get(link.group(1).replace("&amp;", "&")).content.decode()


def test_vocabulary_is_the_shops_own(tenant):
    from tests.factories import TenantFactory

    other = TenantFactory()
    make_product(other, "Rain Jacket")
    make_product(tenant, "Wool Sweater")
    assert names(tenant, "jaket") == []
    assert "jacket" not in selectors.get_search_vocabulary(tenant=tenant)
