"""Stripe webhooks against localstripe: verified like Stripe signs them, applied once, never
backwards, and never across tenants (issue 11, items 11 and 17)."""

from __future__ import annotations

import json
import time

import pytest
from django.core import mail

from apps.orders.models import OrderEvent
from apps.payments.models import Payment, WebhookEvent
from tests.factories import TenantFactory
from tests.payments.conftest import WEBHOOK_SECRET, make_variant, place, setup_shop, sign_payload, stripe_event

pytestmark = pytest.mark.django_db


def webhook_url(tenant) -> str:
    return f"/api/v1/t/{tenant.slug}/payments/webhooks/stripe"


def post_event(client, tenant, body: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None, header=None):
    signature = header if header is not None else sign_payload(body, secret, timestamp=timestamp)
    return client.post(webhook_url(tenant), data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def intent_event(event_id: str, event_type: str, payment: Payment, status: str, **extra) -> bytes:
    obj = {
        "id": payment.provider_reference,
        "object": "payment_intent",
        "status": status,
        "amount": 2490,
        "currency": "eur",
        "metadata": {"payment_id": str(payment.pk)},
    }
    return stripe_event(event_id, event_type, obj, **extra)


def payment_events(order) -> list[dict]:
    return [
        e.data
        for e in OrderEvent.objects.for_tenant(order.tenant_id).filter(order=order, kind="payment_status_changed")
    ]


@pytest.fixture
def card_order(tenant, card_shop):
    variant = make_variant(tenant, price="10.00", stock=5)
    order, step = place(tenant, card_shop, [(variant, 2)], payment_method="stripe")
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    return order, step, payment


def test_start_creates_one_intent_for_the_order_total(tenant, card_order):
    import stripe

    from apps.orders import services as order_services
    from tests.payments.conftest import PUBLISHABLE_KEY, SECRET_KEY

    order, step, payment = card_order
    assert str(order.total) == "24.90" and order.payment_status == "unpaid" and order.status == "unconfirmed"
    assert step.kind == "client_secret" and step.publishable_key == PUBLISHABLE_KEY
    intent = stripe.PaymentIntent.retrieve(payment.provider_reference, api_key=SECRET_KEY)
    assert (intent.amount, intent.currency) == (2490, "eur") and step.client_secret == intent.client_secret
    again = order_services.start_payment(tenant=tenant, order=order, retry=True)
    assert again.client_secret == step.client_secret
    assert Payment.objects.for_tenant(tenant).filter(order_id=order.pk).count() == 1


def test_succeeded_marks_the_order_paid_once(client, tenant, card_order, django_capture_on_commit_callbacks):
    order, _, payment = card_order
    body = intent_event("evt_paid_1", "payment_intent.succeeded", payment, "succeeded")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, tenant, body)
        second = post_event(client, tenant, body)
    assert (first.status_code, first.json()["outcome"]) == (200, "applied")
    assert (second.status_code, second.json()["outcome"]) == (200, "duplicate")
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.payment_status == "paid" and order.status == "unfulfilled" and payment.status == "succeeded"
    assert [e["to"] for e in payment_events(order)] == ["paid"]
    assert WebhookEvent.objects.for_tenant(tenant).filter(event_id="evt_paid_1").count() == 1
    assert len([m for m in mail.outbox if m.subject.startswith("Payment received")]) == 1


def test_late_and_out_of_order_events_never_move_backwards(client, tenant, card_order):
    order, _, payment = card_order
    assert (
        post_event(client, tenant, intent_event("evt_a", "payment_intent.succeeded", payment, "succeeded")).json()[
            "outcome"
        ]
        == "applied"
    )
    late = [
        intent_event("evt_b", "payment_intent.amount_capturable_updated", payment, "requires_capture"),
        intent_event("evt_c", "payment_intent.payment_failed", payment, "requires_payment_method"),
        intent_event("evt_d", "payment_intent.canceled", payment, "canceled"),
    ]
    outcomes = [post_event(client, tenant, body).json()["outcome"] for body in late]
    assert outcomes == ["stale", "stale", "stale"]
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.payment_status, payment.status) == ("paid", "succeeded")
    assert [e["to"] for e in payment_events(order)] == ["paid"]


def test_authorised_then_paid_in_order(client, tenant, card_order):
    order, _, payment = card_order
    post_event(
        client, tenant, intent_event("evt_1", "payment_intent.amount_capturable_updated", payment, "requires_capture")
    )
    order.refresh_from_db()
    assert order.payment_status == "authorised" and order.status == "unfulfilled"
    post_event(client, tenant, intent_event("evt_2", "payment_intent.succeeded", payment, "succeeded"))
    order.refresh_from_db()
    assert [e["to"] for e in payment_events(order)] == ["authorised", "paid"]


def test_refund_events_move_to_partially_refunded_then_refunded(client, tenant, card_order):
    order, _, payment = card_order
    post_event(client, tenant, intent_event("evt_p", "payment_intent.succeeded", payment, "succeeded"))
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": payment.provider_reference,
        "amount": 2490,
        "currency": "eur",
    }
    post_event(client, tenant, stripe_event("evt_r1", "charge.refunded", {**charge, "amount_refunded": 1000}))
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.payment_status == "partially_refunded" and str(payment.amount_refunded) == "10.00"
    post_event(client, tenant, stripe_event("evt_r2", "charge.refunded", {**charge, "amount_refunded": 2490}))
    order.refresh_from_db()
    assert order.payment_status == "refunded"


@pytest.mark.parametrize(
    "case",
    ["wrong_secret", "tampered_body", "missing_header", "garbage_header", "old_timestamp", "no_v1"],
)
def test_bad_signature_or_old_timestamp_is_400_and_changes_nothing(client, tenant, card_order, case):
    order, _, payment = card_order
    body = intent_event("evt_bad", "payment_intent.succeeded", payment, "succeeded")
    now = int(time.time())
    if case == "wrong_secret":
        response = post_event(client, tenant, body, secret="whsec_someone_else")
    elif case == "tampered_body":
        signature = sign_payload(body, WEBHOOK_SECRET)
        response = post_event(client, tenant, body.replace(b"succeeded", b"succeeded "), header=signature)
    elif case == "missing_header":
        response = client.post(webhook_url(tenant), data=body, content_type="application/json")
    elif case == "garbage_header":
        response = post_event(client, tenant, body, header="t=abc,v1=")
    elif case == "old_timestamp":
        response = post_event(client, tenant, body, timestamp=now - 301)
    else:
        response = post_event(client, tenant, body, header=f"t={now},v0=deadbeef")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_signature" and error["request_id"]
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.payment_status, payment.status) == ("unpaid", "pending")
    assert not WebhookEvent.objects.for_tenant(tenant).exists()


def test_a_timestamp_within_five_minutes_is_accepted(client, tenant, card_order):
    _, _, payment = card_order
    body = intent_event("evt_recent", "payment_intent.succeeded", payment, "succeeded")
    assert post_event(client, tenant, body, timestamp=int(time.time()) - 290).status_code == 200


def test_not_a_stripe_event_is_400(client, tenant, card_order):
    body = json.dumps({"hello": "world"}).encode()
    response = post_event(client, tenant, body)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_signature"


def test_a_shop_without_stripe_refuses_webhooks(client, tenant):
    other = TenantFactory()
    body = stripe_event("evt_x", "payment_intent.succeeded", {"id": "pi_x", "status": "succeeded"})
    assert post_event(client, other, body).status_code == 400
    assert (
        client.post(
            "/api/v1/t/no-such-shop/payments/webhooks/stripe", data=body, content_type="application/json"
        ).status_code
        == 404
    )


def test_webhooks_never_reach_another_tenant(client, tenant, card_order, localstripe):
    """Shop B, with its own Stripe secret, cannot move shop A's payment, and A's signed events are
    refused at B's address; the same event id at both shops is two independent events."""
    order_a, _, payment_a = card_order
    shop_b = TenantFactory()
    setup_shop(shop_b, stripe_enabled=True, webhook_secret="whsec_shop_b")
    body = intent_event("evt_shared", "payment_intent.succeeded", payment_a, "succeeded")
    signed_by_b = post_event(client, shop_b, body, secret="whsec_shop_b")
    assert (signed_by_b.status_code, signed_by_b.json()["outcome"]) == (200, "unknown_payment")
    assert post_event(client, shop_b, body).status_code == 400  # A's secret at B's address
    order_a.refresh_from_db()
    assert order_a.payment_status == "unpaid"
    assert post_event(client, tenant, body).json()["outcome"] == "applied"  # not a "duplicate" of B's
    order_a.refresh_from_db()
    assert order_a.payment_status == "paid"
    assert WebhookEvent.objects.for_tenant(shop_b).get().payment_id is None
