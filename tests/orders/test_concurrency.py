"""Concurrency on the real PostgreSQL: threads with their own connections, lined up on a barrier.

These fail without the database guards: without the variant row locks and conditional updates
two threads both see the last unit; without locking in id order the opposite-order carts
deadlock (PostgreSQL aborts one with ``deadlock detected``); without the cart lock and the
unique constraints the same cart is placed twice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.catalog.models import Variant
from apps.core.errors import ApplicationError
from apps.orders import services
from apps.orders.models import Order, StockHold
from tests.concurrency import run_at_once
from tests.orders.conftest import make_variant, ready_cart, setup_shop

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_orders_for_the_last_unit_make_exactly_one(tenant):
    method = setup_shop(tenant)
    last = make_variant(tenant, stock=1)
    carts = [ready_cart(tenant, method, [(last, 1)], email=f"s{n}@example.com") for n in range(8)]

    results = run_at_once([lambda c=cart: services.place_order(tenant=tenant, cart=c) for cart in carts])

    placed = [r for r in results if not isinstance(r, str)]
    assert len(placed) == 1 and results.count("out_of_stock") == 7
    assert Order.objects.for_tenant(tenant).count() == 1
    variant = Variant.objects.for_tenant(tenant).get(pk=last.pk)
    assert (variant.stock, variant.allocated) == (1, 1)


def test_opposite_order_carts_do_not_deadlock_and_stay_whole(tenant):
    method = setup_shop(tenant)
    for round_ in range(4):
        a = make_variant(tenant, stock=1, name=f"A{round_}")
        b = make_variant(tenant, stock=1, name=f"B{round_}")
        first = ready_cart(tenant, method, [(a, 1), (b, 1)])
        second = ready_cart(tenant, method, [(b, 1), (a, 1)])

        results = run_at_once(
            [
                lambda: services.place_order(tenant=tenant, cart=first),
                lambda: services.place_order(tenant=tenant, cart=second),
            ]
        )

        assert sorted(isinstance(r, str) for r in results) == [False, True]  # one order, one clean refusal
        assert "out_of_stock" in results
        rows = Variant.objects.for_tenant(tenant).filter(pk__in=[a.pk, b.pk])
        assert [v.allocated for v in rows] == [1, 1]  # the winner got both lines, the loser none


def test_same_cart_placed_twice_at_once_is_one_order(tenant):
    method = setup_shop(tenant)
    item = make_variant(tenant, stock=5)
    cart = ready_cart(tenant, method, [(item, 2)])

    results = run_at_once([lambda: services.place_order(tenant=tenant, cart=cart) for _ in range(4)])

    assert len({r.order.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert Variant.objects.for_tenant(tenant).get(pk=item.pk).allocated == 2


def test_same_idempotency_key_at_once_is_one_order(tenant):
    method = setup_shop(tenant)
    item = make_variant(tenant, stock=5)
    cart = ready_cart(tenant, method, [(item, 1)])

    results = run_at_once(
        [lambda: services.place_order(tenant=tenant, cart=cart, idempotency_key="same-key") for _ in range(4)]
    )

    assert len({r.order.pk for r in results}) == 1 and Order.objects.for_tenant(tenant).count() == 1


def test_parallel_holds_for_the_last_unit_give_one_hold(tenant):
    method = setup_shop(tenant)
    last = make_variant(tenant, stock=1)
    carts = [ready_cart(tenant, method, [(last, 1)], email=f"h{n}@example.com") for n in range(5)]

    results = run_at_once([lambda c=cart: services.hold_cart_stock(tenant=tenant, cart=c) for cart in carts])

    assert results.count("out_of_stock") == 4
    assert StockHold.objects.for_tenant(tenant).count() == 1


def test_a_hold_blocks_others_until_it_expires(tenant):
    method = setup_shop(tenant)
    last = make_variant(tenant, stock=1)
    holder = ready_cart(tenant, method, [(last, 1)])
    other = ready_cart(tenant, method, [(last, 1)], email="other@example.com")

    services.hold_cart_stock(tenant=tenant, cart=holder)
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=other)
    assert err.value.code == "out_of_stock"
    services.hold_cart_stock(tenant=tenant, cart=holder)  # its own hold never blocks itself

    # expired: it counts for nothing at once, no job has run
    StockHold.objects.for_tenant(tenant).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.place_order(tenant=tenant, cart=other).created
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=holder)
    assert err.value.code == "out_of_stock"
