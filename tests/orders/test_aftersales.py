"""Fulfilment line by line, cancelling the unshipped rest, returns and notes: stock moves exactly
once, statuses move through the one table, every step is an event, bad input changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from apps.catalog.models import Variant
from apps.core.errors import Conflict, Invalid
from apps.orders import services
from apps.orders.models import Fulfilment, Order, OrderEvent, OrderLine
from tests.orders.conftest import make_variant, ready_cart

pytestmark = pytest.mark.django_db


def _stock(variant):
    row = Variant.objects.all_tenants().get(pk=variant.pk)
    return row.stock, row.allocated


def _order(tenant, shop, items):
    order = services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, items)).order
    return order, {line.variant_id: line for line in order.lines.all()}


def _reload(order):
    return Order.objects.all_tenants().get(pk=order.pk)


def test_partial_fulfilment_then_cancel_of_the_rest_leaves_stock_right(
    tenant, shop, django_capture_on_commit_callbacks
):
    mug, cup = make_variant(tenant, stock=10, name="Mug"), make_variant(tenant, stock=4, name="Cup")
    order, lines = _order(tenant, shop, [(mug, 3), (cup, 2)])
    assert _stock(mug) == (10, 3) and _stock(cup) == (4, 2)

    with django_capture_on_commit_callbacks(execute=True):
        shipment = services.fulfil_order_lines(
            tenant=tenant,
            order_id=order.pk,
            lines=[{"line_id": lines[mug.pk].pk, "quantity": 2}],
            carrier="dhl",
            tracking_number="JD0146 0001",
        )
    assert _stock(mug) == (8, 1) and _stock(cup) == (4, 2)  # shipped units left the shelf and the allocation
    assert _reload(order).status == "partially_fulfilled"
    assert shipment.tracking_link == "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD0146%200001"
    (email,) = mail.outbox[-1:]
    assert "2 x Mug" in email.body and "Cup" not in email.body and shipment.tracking_link in email.body

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_order(tenant=tenant, order_id=order.pk, reason="out of cups")
    assert _stock(mug) == (8, 0) and _stock(cup) == (4, 0)  # the rest released, once
    order = _reload(order)
    assert order.status == "fulfilled" and order.allocations_released
    by_sku = {line.variant_id: line for line in OrderLine.objects.all_tenants().filter(order=order)}
    assert (by_sku[mug.pk].quantity_fulfilled, by_sku[mug.pk].quantity_cancelled) == (2, 1)
    assert (by_sku[cup.pk].quantity_fulfilled, by_sku[cup.pk].quantity_cancelled) == (0, 2)
    assert "1 x Mug" in mail.outbox[-1].body and "cancelled" in mail.outbox[-1].subject

    with pytest.raises(Conflict):  # nothing is left to ship
        services.fulfil_order_lines(tenant=tenant, order_id=order.pk)
    assert _stock(mug) == (8, 0)


def test_cancelling_twice_releases_stock_once(tenant, shop):
    mug = make_variant(tenant, stock=5)
    order, _ = _order(tenant, shop, [(mug, 2)])
    other, _ = _order(tenant, shop, [(mug, 1)])
    assert _stock(mug) == (5, 3)

    first = services.cancel_order(tenant=tenant, order_id=order.pk)
    second = services.cancel_order(tenant=tenant, order_id=order.pk)

    assert first.status == second.status == "cancelled"
    assert _stock(mug) == (5, 1)  # the other order's unit is still allocated
    assert OrderEvent.objects.all_tenants().filter(order=order, kind="cancelled").count() == 1
    assert OrderLine.objects.all_tenants().get(order=order).quantity_cancelled == 2
    assert _reload(other).status == "unfulfilled"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (lambda own, other: {"lines": [{"line_id": own, "quantity": 3}]}, "lines"),
        (lambda own, other: {"lines": [{"line_id": other, "quantity": 1}]}, "lines"),
        (lambda own, other: {"lines": [{"line_id": own, "quantity": "two"}]}, "lines"),
        (lambda own, other: {"lines": [{"line_id": own, "quantity": 0}]}, "lines"),
        (lambda own, other: {"lines": "everything"}, "lines"),
        (lambda own, other: {"carrier": "pigeon"}, "carrier"),
        (lambda own, other: {"carrier": "other", "tracking_url": "javascript:x"}, "tracking_url"),
    ],
    ids=["more-than-open", "foreign-line", "quantity-not-a-number", "quantity-zero", "not-a-list", "carrier", "url"],
)
def test_shipping_more_than_is_open_or_a_foreign_line_changes_nothing(tenant, shop, bad, field):
    mug = make_variant(tenant, stock=5)
    order, lines = _order(tenant, shop, [(mug, 2)])
    other, other_lines = _order(tenant, shop, [(mug, 1)])
    with pytest.raises(Invalid) as caught:
        services.fulfil_order_lines(tenant=tenant, order_id=order.pk, **bad(lines[mug.pk].pk, other_lines[mug.pk].pk))
    assert field in caught.value.details
    assert _stock(mug) == (5, 3) and not Fulfilment.objects.all_tenants().exists()
    assert _reload(order).status == "unfulfilled"


def test_fulfilments_are_numbered_and_the_last_one_fulfils(tenant, shop):
    mug = make_variant(tenant, stock=5)
    order, lines = _order(tenant, shop, [(mug, 2)])
    line = lines[mug.pk]
    a = services.fulfil_order_lines(tenant=tenant, order_id=order.pk, lines={line.pk: 1})
    b = services.fulfil_order_lines(tenant=tenant, order_id=order.pk, lines={line.pk: 1}, carrier="ups")
    assert (a.sequence, b.sequence) == (1, 2)
    assert _reload(order).status == "fulfilled" and _stock(mug) == (3, 0)
    kinds = list(OrderEvent.objects.all_tenants().filter(order=order).values_list("kind", flat=True))
    assert kinds[-2:] == ["partially_fulfilled", "fulfilled"]


def test_returns_restock_and_move_the_status(tenant, shop):
    mug, cup = make_variant(tenant, stock=5, name="Mug"), make_variant(tenant, stock=5, name="Cup")
    order, lines = _order(tenant, shop, [(mug, 2), (cup, 1)])
    with pytest.raises(Conflict):  # nothing shipped yet
        services.record_return(tenant=tenant, order_id=order.pk, lines={lines[mug.pk].pk: 1})
    services.fulfil_order_lines(tenant=tenant, order_id=order.pk)
    assert _stock(mug) == (3, 0)

    services.record_return(tenant=tenant, order_id=order.pk, lines={lines[mug.pk].pk: 1}, restock=True)
    assert _reload(order).status == "partially_returned" and _stock(mug) == (4, 0)
    with pytest.raises(Invalid):  # only one mug is still out there
        services.record_return(tenant=tenant, order_id=order.pk, lines={lines[mug.pk].pk: 2})
    services.record_return(
        tenant=tenant, order_id=order.pk, lines={lines[mug.pk].pk: 1, lines[cup.pk].pk: 1}, restock=False
    )
    assert _reload(order).status == "returned"
    assert _stock(mug) == (4, 0) and _stock(cup) == (4, 0)  # not restocked the second time
    kinds = list(OrderEvent.objects.all_tenants().filter(order=order).values_list("kind", flat=True))
    assert kinds[-2:] == ["partially_returned", "returned"]
    with pytest.raises(Conflict):
        services.record_return(tenant=tenant, order_id=order.pk, lines={lines[mug.pk].pk: 1})


def test_notes_are_validated_and_logged(tenant, shop, owner):
    order, _ = _order(tenant, shop, [(make_variant(tenant), 1)])
    with pytest.raises(Invalid):
        services.add_order_note(tenant=tenant, order_id=order.pk, body="   ")
    note = services.add_order_note(tenant=tenant, order_id=order.pk, body="Gift wrap, please", actor=owner)
    assert note.author == owner
    assert OrderEvent.objects.all_tenants().filter(order=order, kind="note_added", actor=owner).count() == 1


def test_bulk_fulfil_ships_what_it_can_and_reports_the_rest(tenant, shop):
    mug = make_variant(tenant, stock=5)
    first, _ = _order(tenant, shop, [(mug, 1)])
    second, _ = _order(tenant, shop, [(mug, 1)])
    services.cancel_order(tenant=tenant, order_id=second.pk)
    result = services.bulk_fulfil_orders(tenant=tenant, numbers=[first.number, second.number, 99999], carrier="dpd")
    assert result.done == [first.number]
    assert set(result.failed) == {second.number, 99999}
    assert Fulfilment.objects.all_tenants().get(order=first).carrier == "dpd"
    assert _stock(mug) == (4, 0)


def test_the_shipping_refunded_is_what_was_paid_after_a_voucher():
    from decimal import Decimal

    from apps.orders.pricing import shipping_payable

    def order(**values):
        return Order(shipping_price=Decimal("4.90"), shipping_tax=Decimal("0.82"), **values)

    assert shipping_payable(order(prices_include_tax=True)) == Decimal("4.90")
    assert shipping_payable(order(prices_include_tax=False)) == Decimal("5.72")
    free = Order(prices_include_tax=True, shipping_price=Decimal("4.90"), shipping_discount=Decimal("4.90"))
    free.shipping_tax = Decimal("0")
    assert shipping_payable(free) == Decimal("0.00")
