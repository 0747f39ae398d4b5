"""Unpaid card orders expire after the tenant's time and release their stock (the beat job), but
an intent Stripe says was paid is kept and recorded as paid."""

from __future__ import annotations

from datetime import timedelta

import pytest
import stripe
from django.conf import settings
from django.utils import timezone

from apps.catalog.models import Variant
from apps.orders import services as order_services
from apps.payments.models import Payment
from apps.payments.services import expire_unpaid_card_orders
from apps.payments.tasks import expire_unpaid_card_orders as expire_task
from tests.payments.conftest import SECRET_KEY, confirm_with_card, make_variant, place

pytestmark = pytest.mark.django_db


def _age(payment: Payment, minutes: int) -> None:
    Payment.objects.for_tenant(payment.tenant_id).filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


@pytest.fixture
def card_orders(tenant, card_shop):
    order_services.update_selling_settings(tenant=tenant, data={"unpaid_order_expiry_minutes": 30})
    variant = make_variant(tenant, stock=3)
    orders = [place(tenant, card_shop, [(variant, 1)], payment_method="stripe")[0] for _ in range(3)]
    payments = [Payment.objects.for_tenant(tenant).get(order_id=o.pk) for o in orders]
    return variant, orders, payments


def test_old_unpaid_card_orders_are_cancelled_and_release_stock(tenant, card_orders):
    variant, (old, recent, _), (old_payment, recent_payment, third) = card_orders
    assert Variant.objects.for_tenant(tenant).get(pk=variant.pk).allocated == 3
    _age(old_payment, 31)
    _age(recent_payment, 29)
    assert expire_unpaid_card_orders() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == "cancelled" and recent.status == "unconfirmed"
    assert Variant.objects.for_tenant(tenant).get(pk=variant.pk).allocated == 2
    old_payment.refresh_from_db()
    assert old_payment.status == "cancelled"
    assert stripe.PaymentIntent.retrieve(old_payment.provider_reference, api_key=SECRET_KEY).status == "canceled"
    assert expire_unpaid_card_orders() == 0  # exactly once
    assert Variant.objects.for_tenant(tenant).get(pk=variant.pk).allocated == 2


def test_an_intent_paid_at_stripe_is_kept_and_recorded_paid(tenant, card_orders):
    variant, (order, _, _), (payment, _, _) = card_orders
    confirm_with_card(payment.provider_reference)
    _age(payment, 45)  # the webhook never came
    assert expire_unpaid_card_orders() == 0
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("unfulfilled", "paid")
    assert Variant.objects.for_tenant(tenant).get(pk=variant.pk).allocated == 3


def test_bank_transfer_orders_never_expire(tenant, shop):
    order, _ = place(tenant, shop, [(make_variant(tenant), 1)], payment_method="bank_transfer")
    _age(Payment.objects.for_tenant(tenant).get(order_id=order.pk), 60 * 24 * 30)
    assert expire_unpaid_card_orders() == 0
    order.refresh_from_db()
    assert order.status == "unfulfilled"


def test_the_beat_job_runs_the_expiry_every_minute(tenant, card_orders):
    entry = settings.CELERY_BEAT_SCHEDULE["payments-expire-unpaid-card-orders"]
    assert entry["task"] == "payments.expire_unpaid_card_orders" and entry["schedule"] == timedelta(minutes=1)
    _, (order, _, _), (payment, _, _) = card_orders
    _age(payment, 31)
    assert expire_task.delay().get() == 1
    order.refresh_from_db()
    assert order.status == "cancelled"
