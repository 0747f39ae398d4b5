"""The storefront header's cart count on cached pages: the page is cached once for everyone, and
each shopper still sees the units in their own cart (``apps.orders.page_fragments``)."""

import re

import pytest
from django.test import Client

from tests.orders.conftest import make_variant

pytestmark = pytest.mark.django_db


def header_count(response) -> str:
    return re.search(r'class="cart-count badge">([^<]*)<', response.content.decode()).group(1)


def test_a_cached_home_page_shows_each_shopper_their_own_count(client, tenant, shop, django_assert_max_num_queries):
    mug = make_variant(tenant, price="12.00", stock=9)
    home = f"/s/{tenant.slug}/"
    stranger = Client()
    first = stranger.get(home)  # fills the cache (a visitor with no cookie but CSRF)
    assert first.status_code == 200 and header_count(first) == "0"
    assert stranger.get(home)["X-Page-Cache"] == "hit"

    assert client.post(f"/s/{tenant.slug}/cart/add/", {"variant_id": mug.pk, "quantity": 3}).status_code == 302
    client.get(f"/s/{tenant.slug}/cart/")  # reads the "Added" message (a messages cookie is never served a stored page)
    del client.cookies["messages"]  # expired by that page; a browser drops it, Django's test client keeps it empty
    with django_assert_max_num_queries(3):  # tenant, cart, count: only because this shopper has a cart
        mine = client.get(home)
    assert mine["X-Page-Cache"] == "hit" and header_count(mine) == "3"
    with django_assert_max_num_queries(0):
        theirs = stranger.get(home)
    assert theirs["X-Page-Cache"] == "hit" and header_count(theirs) == "0"


def test_the_htmx_add_answers_the_new_count_before_the_cookie_exists(client, tenant, shop):
    mug = make_variant(tenant, price="12.00", stock=9)
    response = client.post(f"/s/{tenant.slug}/cart/add/", {"variant_id": mug.pk, "quantity": 2}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and header_count(response) == "2"
