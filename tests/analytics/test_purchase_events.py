"""Server-side purchase events from the real place_order (through the outbox, the ingestion buffer
on Redis, the drain and the rollups), none for a rolled-back placement; beacon add_to_cart and
checkout_started accepted, and rejected when malformed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from apps.analytics import buffer, commerce, event_store, rollups, selectors
from apps.analytics.models import Event, HourlyRollup
from apps.analytics.purchases import purchase_event_id, record_purchase
from apps.core.models import OutboxMessage
from apps.orders import services as order_services
from apps.orders.hooks import (
    OrderRefund,
    register_order_placed_receiver,
    send_order_refunded,
    unregister_order_placed_receiver,
)
from apps.orders.models import Order
from tests.analytics.conftest import make_event
from tests.orders.conftest import make_variant, ready_cart, shop, test_payment_method  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def purchases(tenant):
    return list(Event.objects.filter(tenant_id=tenant.pk, type="purchase"))


def test_placing_an_order_records_one_purchase_event(tenant, shop, django_capture_on_commit_callbacks):  # noqa: F811
    mug = make_variant(tenant, price="12.50", stock=5)
    cup = make_variant(tenant, price="3.33", stock=9, name="Cup")
    cart = ready_cart(tenant, shop, [(mug, 2), (cup, 3)])

    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.place_order(tenant=tenant, cart=cart).order

    assert purchases(tenant) == []  # buffered on the Redis stream like a beacon batch, not yet stored
    assert buffer.stream_length() == 1
    assert buffer.drain(consumer="t").inserted == 1
    (event,) = purchases(tenant)
    assert str(event.event_id) == purchase_event_id(tenant_id=tenant.pk, order_id=order.pk)
    assert event.visitor == "" and event.user_id is None and event.occurred_at == order.created_at
    assert event.props["revenue"] == str(order.total) == "39.89"
    assert event.props["revenue_cents"] == 3989 and event.props["units"] == 5 and event.props["order"] == order.number
    assert "voucher" not in event.props
    assert event.props["items"] == [
        {"product_id": mug.product_id, "ref": mug.sku, "units": 2, "revenue_cents": 2500},
        {"product_id": cup.product_id, "ref": cup.sku, "units": 3, "revenue_cents": 999},
    ]
    # The task again (a retry, a second delivery): the same event id, stored once.
    record_purchase(tenant_id=tenant.pk, order_id=order.pk)
    assert buffer.drain(consumer="t").inserted == 0 and len(purchases(tenant)) == 1

    rollups.rebuild_dirty()
    today = selectors.resolve_range(tenant=tenant, period="today")
    totals = commerce.commerce_totals(tenant=tenant, rng=today)
    assert totals["orders"] == 1 and totals["revenue"] == order.total and totals["units"] == 5
    sales = commerce.product_sales(tenant=tenant, rng=today)
    assert [(r["label"], r["revenue"], r["units"]) for r in sales] == [
        ("Mug", Decimal("25.00"), 2),
        ("Cup", Decimal("9.99"), 3),
    ]


def test_a_voucher_order_counts_its_code_and_discounted_lines(tenant, shop, django_capture_on_commit_callbacks):  # noqa: F811
    from apps.promotions import services as promotions

    promotions.create_voucher(tenant=tenant, data={"code": "Save10", "kind": "percentage", "value": "10"})
    a, b = make_variant(tenant, price="10.00", name="Lamp"), make_variant(tenant, price="25.00", name="Shade")
    cart = ready_cart(tenant, shop, [(a, 1), (b, 2)])
    order_services.apply_voucher_code(tenant=tenant, cart=cart, code="save10")
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.place_order(tenant=tenant, cart=cart).order

    buffer.drain(consumer="t")
    (event,) = purchases(tenant)
    assert event.props["voucher"] == "SAVE10" and event.props["revenue"] == str(order.total) == "58.90"
    rollups.rebuild_dirty()
    today = selectors.resolve_range(tenant=tenant, period="today")
    assert commerce.voucher_use(tenant=tenant, rng=today) == [{"code": "SAVE10", "uses": 1}]
    # lines after their discount: 10.00 - 1.00 and 2 x 25.00 - 5.00
    sales = commerce.product_sales(tenant=tenant, rng=today)
    assert [(r["label"], r["revenue"], r["units"]) for r in sales] == [
        ("Shade", Decimal("45.00"), 2),
        ("Lamp", Decimal("9.00"), 1),
    ]


def test_a_rolled_back_placement_records_nothing(tenant, shop, django_capture_on_commit_callbacks):  # noqa: F811
    cart = ready_cart(tenant, shop, [(make_variant(tenant), 1)])

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        order_services.place_order(tenant=tenant, cart=cart)
        raise RuntimeError("the caller's transaction fails after placing")

    assert not Order.objects.for_tenant(tenant).exists()
    assert not OutboxMessage.objects.filter(task_name="analytics.record_purchase").exists()
    assert buffer.stream_length() == 0 and buffer.drain(consumer="t").inserted == 0
    assert purchases(tenant) == []


def test_a_placement_failing_after_the_hook_records_nothing(tenant, shop, django_capture_on_commit_callbacks):  # noqa: F811
    def failing_receiver(order):
        raise RuntimeError("a later receiver fails: the whole placement rolls back")

    register_order_placed_receiver(failing_receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            order_services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(make_variant(tenant), 1)]))
    finally:
        unregister_order_placed_receiver(failing_receiver)

    assert not Order.objects.for_tenant(tenant).exists()
    assert not OutboxMessage.objects.filter(task_name="analytics.record_purchase").exists()
    assert buffer.drain(consumer="t").inserted == 0 and purchases(tenant) == []


def test_a_refund_takes_its_amount_off_the_revenue_once(tenant, shop, django_capture_on_commit_callbacks):  # noqa: F811
    cart = ready_cart(tenant, shop, [(make_variant(tenant, price="30.00"), 2)])
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.place_order(tenant=tenant, cart=cart).order  # 60.00 + 4.90
    refund = OrderRefund(
        tenant_id=tenant.pk, order_id=order.pk, refund_id="rf_1", amount=Decimal("30.00"), refunded_at=timezone.now()
    )
    for _ in range(2):  # the refunding service retried: the same refund id, counted once
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            send_order_refunded(refund)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_order_refunded(OrderRefund(tenant.pk, order.pk, "rf_2", Decimal("5.00"), timezone.now()))
        raise RuntimeError("the refund failed: its transaction rolls back")

    assert buffer.drain(consumer="t").inserted == 2  # the purchase and one refund
    rollups.rebuild_dirty()
    totals = commerce.commerce_totals(tenant=tenant, rng=selectors.resolve_range(tenant=tenant, period="today"))
    assert order.total == Decimal("64.90")
    assert totals["revenue"] == Decimal("34.90") and totals["refunds"] == Decimal("30.00")
    assert totals["orders"] == 1 and totals["average_order_value"] == Decimal("34.90")


def test_a_browser_cannot_send_a_refund(send, tenant):
    body = send([make_event("refund", props={"refund_cents": 100})]).json()
    assert body["accepted"] == 0 and body["errors"][0]["reason"] == "invalid_type"


# --- beacon events --------------------------------------------------------------------------


def test_beacon_add_to_cart_and_checkout_started_are_counted(send, tenant):
    events = [
        make_event("add_to_cart", product="SKU-1", props={"quantity": 2}),
        make_event("add_to_cart", product="SKU-2"),
        make_event("checkout_started"),
    ]
    body = send(events).json()
    assert body["accepted"] == 3 and body["rejected"] == 0, body
    assert buffer.drain(consumer="t").inserted == 3
    rollups.rebuild_dirty()
    rollup = HourlyRollup.objects.for_tenant(tenant).get()
    assert (rollup.add_to_carts, rollup.checkouts, rollup.orders, rollup.sessions) == (2, 1, 0, 1)


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (make_event("add_to_cart"), "missing_product"),
        (make_event("add_to_cart", product="SKU-1", props={"quantity": 0}), "invalid_quantity"),
        (make_event("add_to_cart", product="SKU-1", props={"quantity": "2"}), "invalid_quantity"),
        (make_event("add_to_cart", product="SKU-1", props={"quantity": True}), "invalid_quantity"),
        (make_event("add_to_cart", product="SKU-1", props={"quantity": 10_001}), "invalid_quantity"),
        (make_event("checkout_started", props={"items": [1, 2]}), "invalid_props"),
        (make_event("purchase", props={"revenue_cents": 100000}), "invalid_type"),  # server-side only
    ],
)
def test_malformed_commerce_events_are_rejected_and_not_stored(send, tenant, event, reason):
    body = send([event]).json()
    assert body["accepted"] == 0 and [error["reason"] for error in body["errors"]] == [reason]
    assert buffer.drain(consumer="t").inserted == 0
    assert event_store.count_events(tenant_id=tenant.pk) == 0


def test_old_orders_land_in_their_own_day(tenant, shop, django_capture_on_commit_callbacks):  # noqa: F811
    """The event carries the order's time (not the task's): a relay run late still counts the right day."""
    order = order_services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(make_variant(tenant), 1)])).order
    Order.objects.for_tenant(tenant).filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=3))
    record_purchase(tenant_id=tenant.pk, order_id=order.pk)
    buffer.drain(consumer="t")
    rollups.rebuild_dirty()
    today = selectors.resolve_range(tenant=tenant, period="today")
    assert commerce.commerce_totals(tenant=tenant, rng=today)["orders"] == 0
    week = selectors.resolve_range(tenant=tenant, period="7d")
    assert commerce.commerce_totals(tenant=tenant, rng=week)["orders"] == 1
