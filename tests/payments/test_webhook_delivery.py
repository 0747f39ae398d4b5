"""Webhooks as they really arrive: localstripe signs and posts its own events to a live server,
and many copies of one event at once are applied exactly once (threads, own connections)."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from apps.orders.models import Order, OrderEvent
from apps.payments.models import Payment, WebhookEvent
from tests.payments.conftest import (
    WEBHOOK_SECRET,
    confirm_with_card,
    make_variant,
    place,
    register_localstripe_webhook,
    setup_shop,
    sign_payload,
    stripe_event,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_localstripe_delivers_a_signed_webhook_that_marks_the_order_paid(tenant, localstripe, live_server):
    shipping = setup_shop(tenant, stripe_enabled=True)
    order, _ = place(tenant, shipping, [(make_variant(tenant), 1)], payment_method="stripe")
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    url = f"{live_server.url}/api/v1/t/{tenant.slug}/payments/webhooks/stripe"
    register_localstripe_webhook(localstripe, hook_id=f"bazaar-{tenant.slug}", url=url, secret=WEBHOOK_SECRET)
    confirm_with_card(payment.provider_reference)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        order.refresh_from_db()
        if order.payment_status == "paid":
            break
        time.sleep(0.2)
    assert order.payment_status == "paid" and order.status == "unfulfilled"
    event = WebhookEvent.objects.for_tenant(tenant).get(type="payment_intent.succeeded")
    assert event.outcome == "applied" and event.payment_id == payment.pk and event.event_id.startswith("evt_")


def test_the_same_event_delivered_eight_times_at_once_is_applied_once(tenant, localstripe, live_server):
    shipping = setup_shop(tenant, stripe_enabled=True)
    order, _ = place(tenant, shipping, [(make_variant(tenant), 1)], payment_method="stripe")
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    obj = {"id": payment.provider_reference, "object": "payment_intent", "status": "succeeded", "metadata": {}}
    body = stripe_event("evt_burst", "payment_intent.succeeded", obj)
    url = f"{live_server.url}/api/v1/t/{tenant.slug}/payments/webhooks/stripe"
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def deliver():
        barrier.wait(timeout=10)
        response = requests.post(
            url,
            data=body,
            headers={"Content-Type": "application/json", "Stripe-Signature": sign_payload(body, WEBHOOK_SECRET)},
            timeout=20,
        )
        outcomes.append(f"{response.status_code} {response.json().get('outcome')}")

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["200 applied"] + ["200 duplicate"] * 7
    assert Order.objects.for_tenant(tenant).get(pk=order.pk).payment_status == "paid"
    changes = OrderEvent.objects.for_tenant(tenant).filter(order_id=order.pk, kind="payment_status_changed")
    assert changes.count() == 1
    assert WebhookEvent.objects.for_tenant(tenant).count() == 1
