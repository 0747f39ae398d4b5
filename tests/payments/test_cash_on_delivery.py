"""Cash on delivery end to end on the real database: the shopper is told what to hand the courier,
staff record the cash when the order is delivered (once), a refund afterwards is a manual record,
and cancelling an unpaid COD order cancels its payment with nothing to refund."""

from decimal import Decimal

import pytest

from apps.orders import services as order_services
from apps.orders.models import Order
from apps.payments import services
from apps.payments.models import Payment
from tests.payments.conftest import make_variant, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def cod_order(tenant, shop):
    services.update_provider_config(
        tenant=tenant, provider="cash_on_delivery", enabled=True, instructions="Exact change, please."
    )
    return place(tenant, shop, [(make_variant(tenant, price="12.50"), 2)], payment_method="cash_on_delivery")


def test_the_shopper_is_told_what_to_hand_the_courier(tenant, cod_order):
    order, step = cod_order
    assert step.kind == "instructions"
    assert f"in cash when order {order.number} is delivered" in step.message
    assert "Exact change, please." in step.message
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    assert (payment.provider, payment.status, order.payment_status) == ("cash_on_delivery", "pending", "unpaid")


def test_cash_taken_at_the_door_is_recorded_once_then_refunded_by_hand(
    client, tenant, owner, cod_order, django_capture_on_commit_callbacks
):
    order, _ = cod_order
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # a double click records the cash once
            assert client.post(f"/a/{tenant.slug}/payments/orders/{order.pk}/mark-paid").status_code == 302
    order.refresh_from_db()
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    assert order.payment_status == "paid" and payment.status == "succeeded"
    assert payment.transactions.filter(kind="mark_paid").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        outcome = order_services.refund_order(tenant=tenant, order_id=order.pk, amount="5.00", actor=owner)
    assert outcome.amount == Decimal("5.00")
    order.refresh_from_db()
    assert order.payment_status == "partially_refunded"
    refund = payment.refunds.get()
    assert refund.amount == Decimal("5.00") and refund.status == "succeeded"


def test_an_unpaid_cod_order_cancelled_cancels_its_payment_and_refunds_nothing(
    tenant, owner, cod_order, django_capture_on_commit_callbacks
):
    order, _ = cod_order
    with django_capture_on_commit_callbacks(execute=True):
        order_services.cancel_order(tenant=tenant, order_id=order.pk, actor=owner, reason="Customer changed their mind")
    order = Order.objects.for_tenant(tenant).get(pk=order.pk)
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    assert order.status == "cancelled" and payment.status == "cancelled"
    assert not payment.refunds.exists()
