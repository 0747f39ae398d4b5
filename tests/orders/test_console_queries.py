"""Query counts of the console's order pages are pinned: the same with 2 orders as with 12, with
one shipment as with several (no query per row), so the list and search stay flat at 100,000
orders (timings: ``bench/orders_console_bench.py``)."""

from __future__ import annotations

import pytest

from apps.orders import services
from tests.orders.conftest import make_variant, ready_cart

pytestmark = pytest.mark.django_db

LIST_QUERIES = 4  # session, user, membership, the page of orders
# + the order twice, lines, events, shipments (+ lines), returns, notes, then the sections other apps
# register (payments, invoices): a ceiling, and exactly the same count with more shipments and notes.
DETAIL_MAX_QUERIES = 18


def _place(tenant, shop, count, start=0):
    variant = make_variant(tenant, stock=100, name=f"Mug {start}")
    return [
        services.place_order(
            tenant=tenant, cart=ready_cart(tenant, shop, [(variant, 2)], email=f"s{start + n}@example.com")
        ).order
        for n in range(count)
    ]


@pytest.mark.parametrize("query", ["", "?q=s1", "?q=%231", "?status=unfulfilled&payment_status=unpaid"])
def test_the_list_and_search_take_the_same_queries_at_any_size(
    client, tenant, shop, make_member, query, django_assert_num_queries
):
    client.force_login(make_member(tenant, "editor"))
    _place(tenant, shop, 2)
    url = f"/a/{tenant.slug}/orders/{query}"
    client.get(url)  # warm the membership cache like any second request
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200
    _place(tenant, shop, 10, start=2)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(url).status_code == 200


def test_the_detail_takes_the_same_queries_with_more_shipments(
    client, tenant, shop, make_member, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(make_member(tenant, "owner"))
    (order,) = _place(tenant, shop, 1)
    line = order.lines.get()
    services.fulfil_order_lines(
        tenant=tenant, order_id=order.pk, lines={line.pk: 1}, carrier="dhl", tracking_number="A1"
    )
    url = f"/a/{tenant.slug}/orders/{order.number}/"
    client.get(url)
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES) as one:
        assert client.get(url).status_code == 200
    services.fulfil_order_lines(
        tenant=tenant, order_id=order.pk, lines={line.pk: 1}, carrier="ups", tracking_number="B2"
    )
    services.add_order_note(tenant=tenant, order_id=order.pk, body="Boxed twice")
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
