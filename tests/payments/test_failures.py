"""Failures during placing never undo an order: the payment provider down at start, the broker
down at commit (the email goes later, through the outbox relay and a real worker), SMTP down."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from apps.core import outbox
from apps.core.idempotency import was_processed
from apps.core.models import OutboxMessage
from apps.orders import services as order_services
from apps.orders.models import Order, OrderEvent
from apps.payments.models import Payment
from apps.payments.providers.stripe import configure_stripe
from tests.celery_worker import start_celery_worker
from tests.payments.conftest import make_variant, place, setup_shop

ROOT = Path(__file__).resolve().parents[2]
DEAD_BROKER = "amqp://guest:guest@127.0.0.1:18798//"  # a port of ours where nothing listens


@pytest.mark.django_db
def test_stripe_down_at_start_keeps_the_order_and_try_again_starts_it(tenant, localstripe):
    shipping = setup_shop(tenant, stripe_enabled=True)
    settings.STRIPE_API_BASE = "http://127.0.0.1:18797"  # nothing listens there
    configure_stripe()
    try:
        order, step = place(tenant, shipping, [(make_variant(tenant, stock=2), 1)], payment_method="stripe")
    finally:
        settings.STRIPE_API_BASE = localstripe
        configure_stripe()
    assert step is None
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("unconfirmed", "unpaid")
    assert OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="payment_start_failed").exists()
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    assert payment.status == "pending" and not payment.provider_reference
    assert list(payment.transactions.values_list("kind", flat=True)) == ["error"]
    again = order_services.start_payment(tenant=tenant, order=order, retry=True)
    assert again.kind == "client_secret" and again.client_secret.startswith("pi_")
    assert Payment.objects.for_tenant(tenant).filter(order_id=order.pk).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_broker_down_while_placing_keeps_the_order_and_the_email_is_sent_later(tenant, real_broker):
    queue, use = real_broker
    shipping = setup_shop(tenant)
    variant = make_variant(tenant, stock=4)
    use(DEAD_BROKER)
    order, step = place(tenant, shipping, [(variant, 2)], payment_method="bank_transfer")
    assert step.kind == "instructions"
    assert Order.objects.for_tenant(tenant).filter(pk=order.pk, status="unfulfilled").exists()
    pending = OutboxMessage.objects.get(task_name="orders.send_order_email", kwargs__order_id=order.pk)
    assert pending.dispatched_at is None and pending.last_error
    use()  # the broker is back
    assert outbox.relay_pending(grace=timedelta(0)) >= 1
    worker = start_celery_worker(queue=queue, loglevel="WARNING")
    try:
        key = f"order-email:{order.pk}:placed"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not was_processed(key=key):
            time.sleep(0.3)
        assert was_processed(key=key), "the worker did not send the placed email after the broker came back"
    finally:
        worker.kill()
        worker.wait(timeout=15)


@pytest.mark.django_db(transaction=True)
def test_smtp_down_while_placing_keeps_the_order(tenant, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 18796, 2
    shipping = setup_shop(tenant)
    variant = make_variant(tenant, stock=4)
    place(tenant, shipping, [(variant, 1)], payment_method="bank_transfer")  # raises nothing
    order = Order.objects.for_tenant(tenant).get()
    assert order.status == "unfulfilled" and order.lines.count() == 1
    assert not was_processed(key=f"order-email:{order.pk}:placed")  # not recorded as sent: it will be retried
    pending = OutboxMessage.objects.get(task_name="orders.send_order_email", kwargs__order_id=order.pk)
    assert pending.dispatched_at is None and "ConnectionRefusedError" in pending.last_error
