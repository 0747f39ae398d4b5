"""Refunds on the real PostgreSQL (and a real localstripe): never above the charge, even for staff
refunding at once; Stripe refunds carry an idempotency key; bank transfer / COD refunds are manual
records; the payment and order statuses follow; a cancelled paid order is refunded once."""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe
from django.core import mail
from django.db import IntegrityError, connection, transaction

from apps.core.errors import ApplicationError
from apps.orders import services as order_services
from apps.orders.models import Order, OrderEvent
from apps.payments import services
from apps.payments.models import Payment, Refund
from apps.payments.providers.base import ProviderError
from tests.concurrency import run_at_once
from tests.payments.conftest import SECRET_KEY, confirm_with_card, make_variant, place


def _paid_bank_order(tenant, shop, owner, items):
    order, _ = place(tenant, shop, items)
    services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)
    return Order.objects.for_tenant(tenant).get(pk=order.pk)


def _payment(order) -> Payment:
    return Payment.objects.for_tenant(order.tenant_id).get(order_id=order.pk)


@pytest.mark.django_db(transaction=True)
def test_parallel_refunds_never_exceed_the_charge(tenant, shop, make_member):
    owner = make_member(tenant, role="owner")
    order = _paid_bank_order(tenant, shop, owner, [(make_variant(tenant, price="30.00"), 3)])  # 90 + 4.90
    assert order.total == Decimal("94.90")

    # Eight staff each refund 40.00 at once: two fit (80.00 <= 94.90), six are refused.
    results = run_at_once(
        [
            lambda: order_services.refund_order(tenant=tenant, order_id=order.pk, amount="40.00", actor=owner)
            for _ in range(8)
        ]
    )

    done = [r for r in results if not isinstance(r, str)]
    assert len(done) == 2 and results.count("refund_exceeds_charge") == 6
    payment = _payment(order)
    assert payment.amount_refunded == Decimal("80.00") <= payment.amount
    assert Refund.objects.for_tenant(tenant).filter(status="succeeded").count() == 2
    assert payment.status == "partially_refunded"
    assert Order.objects.for_tenant(tenant).get(pk=order.pk).payment_status == "partially_refunded"

    # The rest, exactly, and then nothing more.
    order_services.refund_order(tenant=tenant, order_id=order.pk, amount="14.90", actor=owner)
    with pytest.raises(ApplicationError) as caught:
        order_services.refund_order(tenant=tenant, order_id=order.pk, amount="0.01", actor=owner)
    assert caught.value.code == "refund_exceeds_charge" and caught.value.details["refundable"] == "0.00"
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", Decimal("94.90"))
    assert Order.objects.for_tenant(tenant).get(pk=order.pk).payment_status == "refunded"


@pytest.mark.django_db
def test_the_database_refuses_a_refund_above_the_charge_without_the_lock(tenant, shop, make_member):
    owner = make_member(tenant, role="owner")
    order = _paid_bank_order(tenant, shop, owner, [(make_variant(tenant), 1)])
    payment = _payment(order)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.for_tenant(tenant).filter(pk=payment.pk).update(amount_refunded=payment.amount + 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT amount_refunded FROM payments_payment WHERE id = %s", [payment.pk])
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_line_and_shipping_refunds_are_priced_from_the_order(
    tenant, shop, make_member, django_capture_on_commit_callbacks
):
    owner = make_member(tenant, role="owner")
    mug, cup = make_variant(tenant, price="12.00", name="Mug"), make_variant(tenant, price="5.00", name="Cup")
    order = _paid_bank_order(tenant, shop, owner, [(mug, 2), (cup, 1)])
    line = order.lines.get(variant=mug)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = order_services.refund_order(
            tenant=tenant, order_id=order.pk, lines=[{"line_id": line.pk, "quantity": 1}], shipping=True, actor=owner
        )
    assert outcome.amount == Decimal("16.90") and outcome.manual  # 12.00 + 4.90 shipping, bank transfer
    refund = Refund.objects.for_tenant(tenant).get(pk=outcome.refund_id)
    assert refund.lines == [{"line_id": line.pk, "sku": line.sku, "quantity": 1, "amount": "12.00"}]
    assert refund.shipping == Decimal("4.90")
    event = OrderEvent.objects.for_tenant(tenant).get(order=order, kind="refunded")
    assert event.actor == owner and event.data["amount"] == "16.90"
    assert mail.outbox[-1].subject == f"Refund for order #{order.number} at {tenant.name}"
    assert "16,90" in mail.outbox[-1].body or "16.90" in mail.outbox[-1].body


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["0", "-1", "1.001", "abc", "NaN", "1e3"])
def test_a_bad_refund_amount_changes_nothing(tenant, shop, make_member, amount):
    owner = make_member(tenant, role="owner")
    paid = _paid_bank_order(tenant, shop, owner, [(make_variant(tenant), 1)])
    with pytest.raises(ApplicationError) as caught:
        order_services.refund_order(tenant=tenant, order_id=paid.pk, amount=amount)
    assert caught.value.code == "validation_error", amount
    assert not Refund.objects.for_tenant(tenant).exists() and _payment(paid).amount_refunded == 0


@pytest.mark.django_db
def test_bad_refunds_change_nothing(tenant, shop, make_member):
    owner = make_member(tenant, role="owner")
    unpaid, _ = place(tenant, shop, [(make_variant(tenant, name="Bowl"), 1)])
    with pytest.raises(ApplicationError) as caught:
        order_services.refund_order(tenant=tenant, order_id=unpaid.pk, amount="1.00")
    assert caught.value.code == "not_refundable"
    paid = _paid_bank_order(tenant, shop, owner, [(make_variant(tenant), 1)])
    with pytest.raises(ApplicationError) as caught:
        order_services.refund_order(tenant=tenant, order_id=paid.pk, amount="1.00", lines={"1": 1})
    assert caught.value.code == "validation_error"
    assert not Refund.objects.for_tenant(tenant).exists() and _payment(paid).amount_refunded == 0


@pytest.mark.django_db
def test_the_same_idempotency_key_is_the_same_refund(tenant, shop, make_member):
    owner = make_member(tenant, role="owner")
    order = _paid_bank_order(tenant, shop, owner, [(make_variant(tenant), 1)])
    first = order_services.refund_order(tenant=tenant, order_id=order.pk, amount="2.00", idempotency_key="k1")
    again = order_services.refund_order(tenant=tenant, order_id=order.pk, amount="2.00", idempotency_key="k1")
    assert first.refund_id == again.refund_id and not again.created
    with pytest.raises(ApplicationError) as caught:
        order_services.refund_order(tenant=tenant, order_id=order.pk, amount="3.00", idempotency_key="k1")
    assert caught.value.code == "idempotency_key_reused"
    assert _payment(order).amount_refunded == Decimal("2.00")


def _paid_card_order(tenant, card_shop, items):
    order, _ = place(tenant, card_shop, items, payment_method="stripe")
    payment = _payment(order)
    confirm_with_card(payment.provider_reference)
    order_services.start_payment(tenant=tenant, order=order, retry=True)  # reads the intent: succeeded
    order = Order.objects.for_tenant(tenant).get(pk=order.pk)
    assert order.payment_status == "paid"
    return order, _payment(order)


@pytest.mark.django_db
def test_stripe_refund_through_localstripe_with_an_idempotency_key(tenant, card_shop, monkeypatch):
    order, payment = _paid_card_order(tenant, card_shop, [(make_variant(tenant, price="20.00"), 1)])  # 24.90
    seen = []
    real_request = stripe.default_http_client.request

    def spy(method, url, headers, post_data=None, **kwargs):
        seen.append((method.upper(), url.split("/v1/")[-1], headers.get("Idempotency-Key")))
        return real_request(method, url, headers, post_data, **kwargs)

    monkeypatch.setattr(stripe.default_http_client, "request", spy)
    outcome = order_services.refund_order(tenant=tenant, order_id=order.pk, amount="10.00")

    assert outcome.status == "succeeded" and not outcome.manual
    refund = Refund.objects.for_tenant(tenant).get(pk=outcome.refund_id)
    assert refund.provider_reference.startswith("re_")
    (call,) = [c for c in seen if c[1] == "refunds"]
    assert call == ("POST", "refunds", f"bazaar-t{tenant.pk}-refund-{refund.pk}")
    at_stripe = stripe.Refund.retrieve(refund.provider_reference, api_key=SECRET_KEY)
    assert (at_stripe.amount, at_stripe.payment_intent) == (1000, payment.provider_reference)
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("10.00"))

    with pytest.raises(ApplicationError) as caught:  # 14.90 left: localstripe is never asked for 15
        order_services.refund_order(tenant=tenant, order_id=order.pk, amount="15.00")
    assert caught.value.code == "refund_exceeds_charge"
    assert len([c for c in seen if c[1] == "refunds"]) == 1


@pytest.mark.django_db
def test_a_stripe_failure_gives_the_reservation_back(tenant, card_shop, monkeypatch):
    order, payment = _paid_card_order(tenant, card_shop, [(make_variant(tenant), 1)])

    def refused(**kwargs):
        raise stripe.InvalidRequestError("Charge already refunded", param="charge")

    monkeypatch.setattr(stripe.Refund, "create", refused)
    with pytest.raises(ProviderError):
        order_services.refund_order(tenant=tenant, order_id=order.pk, amount="5.00")
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("succeeded", Decimal("0"))
    assert Refund.objects.for_tenant(tenant).get().status == "failed"
    assert Order.objects.for_tenant(tenant).get(pk=order.pk).payment_status == "paid"


@pytest.mark.django_db
def test_cancelling_a_paid_card_order_refunds_it_once(tenant, card_shop, django_capture_on_commit_callbacks):
    order, payment = _paid_card_order(tenant, card_shop, [(make_variant(tenant, price="20.00"), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        order_services.cancel_order(tenant=tenant, order_id=order.pk, reason="shopper asked")
    with django_capture_on_commit_callbacks(execute=True):
        order_services.cancel_order(tenant=tenant, order_id=order.pk)  # twice: nothing more
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("refunded", Decimal("24.90"))
    (refund,) = Refund.objects.for_tenant(tenant).all()
    assert refund.idempotency_key == f"staff:cancel-o{order.pk}" and refund.status == "succeeded"
    intent = stripe.PaymentIntent.retrieve(payment.provider_reference, api_key=SECRET_KEY)
    assert intent.status == "succeeded"  # refunded, not cancelled: the money had been taken


@pytest.mark.django_db
def test_cancelling_an_unpaid_card_order_cancels_the_intent(tenant, card_shop, django_capture_on_commit_callbacks):
    order, _ = place(tenant, card_shop, [(make_variant(tenant), 1)], payment_method="stripe")
    payment = _payment(order)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.cancel_order(tenant=tenant, order_id=order.pk)
    payment.refresh_from_db()
    assert payment.status == "cancelled" and not Refund.objects.for_tenant(tenant).exists()
    assert stripe.PaymentIntent.retrieve(payment.provider_reference, api_key=SECRET_KEY).status == "canceled"


@pytest.mark.django_db
def test_cancelling_the_rest_of_a_paid_bank_order_records_a_manual_refund(
    tenant, shop, make_member, django_capture_on_commit_callbacks
):
    owner = make_member(tenant, role="owner")
    mug, cup = make_variant(tenant, price="10.00", name="Mug"), make_variant(tenant, price="7.00", name="Cup")
    order = _paid_bank_order(tenant, shop, owner, [(mug, 1), (cup, 2)])
    order_services.fulfil_order_lines(tenant=tenant, order_id=order.pk, lines={order.lines.get(variant=mug).pk: 1})
    with django_capture_on_commit_callbacks(execute=True):
        order_services.cancel_order(tenant=tenant, order_id=order.pk)
    (refund,) = Refund.objects.for_tenant(tenant).all()
    assert (refund.amount, refund.manual, refund.status) == (Decimal("14.00"), True, "succeeded")  # shipping kept
    assert _payment(order).status == "partially_refunded"
