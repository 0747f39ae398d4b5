"""After-sales races on the real PostgreSQL (threads with their own connections, on a barrier):
the order row lock makes a repeated cancel release stock once, and a shipment racing a cancel
leaves every unit shipped or cancelled, never both, with the stock columns matching."""

from __future__ import annotations

import pytest

from apps.catalog.models import Variant
from apps.orders import services
from apps.orders.models import Order, OrderEvent, OrderLine
from tests.concurrency import run_at_once
from tests.orders.conftest import make_variant, ready_cart, setup_shop

pytestmark = pytest.mark.django_db(transaction=True)


def test_six_cancels_at_once_release_the_stock_once(tenant):
    method = setup_shop(tenant)
    mug = make_variant(tenant, stock=10)
    order = services.place_order(tenant=tenant, cart=ready_cart(tenant, method, [(mug, 3)])).order
    keep = services.place_order(tenant=tenant, cart=ready_cart(tenant, method, [(mug, 2)])).order

    results = run_at_once([lambda: services.cancel_order(tenant=tenant, order_id=order.pk) for _ in range(6)])

    assert all(isinstance(r, Order) and r.status == "cancelled" for r in results)
    variant = Variant.objects.for_tenant(tenant).get(pk=mug.pk)
    assert (variant.stock, variant.allocated) == (10, 2)  # only the kept order's units are still promised
    assert OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="cancelled").count() == 1
    assert Order.objects.for_tenant(tenant).get(pk=keep.pk).status == "unfulfilled"


def test_a_shipment_racing_a_cancel_never_ships_a_cancelled_unit(tenant):
    method = setup_shop(tenant)
    for round_ in range(3):
        mug = make_variant(tenant, stock=6, name=f"Mug {round_}")
        order = services.place_order(tenant=tenant, cart=ready_cart(tenant, method, [(mug, 4)])).order
        line = order.lines.get()

        results = run_at_once(
            [
                lambda: services.fulfil_order_lines(tenant=tenant, order_id=order.pk, lines={line.pk: 2}),
                lambda: services.cancel_order(tenant=tenant, order_id=order.pk),
            ]
        )

        line = OrderLine.objects.for_tenant(tenant).get(pk=line.pk)
        variant = Variant.objects.for_tenant(tenant).get(pk=mug.pk)
        assert line.quantity_fulfilled + line.quantity_cancelled == 4, results
        assert variant.allocated == 0, results  # nothing is promised any more, whoever won
        assert variant.stock == 6 - line.quantity_fulfilled
        status = Order.objects.for_tenant(tenant).get(pk=order.pk).status
        if line.quantity_fulfilled:  # the shipment went first: the cancel took the other 2
            assert (line.quantity_fulfilled, status) == (2, "fulfilled")
        else:  # the cancel went first: the shipment was refused
            assert status == "cancelled" and results[0] == "invalid_transition"
