"""Order emails go through the outbox after commit: a broker outage or a mail server failure
during placing keeps the order, and the email is sent later, once."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail

from apps.core import outbox
from apps.core.models import OutboxMessage
from apps.orders import emails, services, tasks
from apps.orders.models import Order
from tests.broker import DEAD_BROKER, queued
from tests.factories import TenantFactory
from tests.orders.conftest import make_variant, ready_cart, setup_shop


@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_the_order_and_the_email_goes_later(real_broker):  # noqa: F811
    queue, use_broker = real_broker
    tenant, cart = shop_with_cart()
    use_broker(DEAD_BROKER)
    placed = services.place_order(tenant=tenant, cart=cart)  # does not fail, does not hang
    row = OutboxMessage.objects.get(task_name="orders.send_order_email")
    assert Order.objects.for_tenant(tenant).filter(pk=placed.order.pk).exists()
    assert row.dispatched_at is None and row.last_error

    use_broker()
    before = queued(queue)  # (creating the products published their search refreshes here too)
    # Placing also enqueues analytics' server-side purchase event: both wait for the broker.
    waiting = set(OutboxMessage.objects.filter(dispatched_at__isnull=True).values_list("task_name", flat=True))
    assert waiting == {"orders.send_order_email", "analytics.record_purchase"}
    assert outbox.relay_pending(grace=timedelta(0)) == 2
    assert queued(queue) == before + 2
    tasks.send_order_email(*row.args, **row.kwargs)  # what the worker runs for the published message
    assert [m.subject for m in mail.outbox] == [f"Your order #{placed.order.number} at {tenant.name}"]


def shop_with_cart():
    tenant = TenantFactory()
    method = setup_shop(tenant)
    return tenant, ready_cart(tenant, method, [(make_variant(tenant), 1)])


@pytest.mark.django_db
def test_a_mail_server_failure_is_retried_and_sends_once(tenant, shop, settings):
    order = services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(make_variant(tenant), 1)])).order
    settings.EMAIL_BACKEND = "tests.orders.failing_email.EmailBackend"
    with pytest.raises(smtplib.SMTPException):
        emails.send_order_email(tenant_id=tenant.pk, order_id=order.pk, kind="placed")
    assert smtplib.SMTPException in tasks.send_order_email.autoretry_for  # the worker retries it with backoff
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails.send_order_email(tenant_id=tenant.pk, order_id=order.pk, kind="placed")
    assert not emails.send_order_email(tenant_id=tenant.pk, order_id=order.pk, kind="placed")  # redelivery: nothing
    assert len(mail.outbox) == 1 and Order.objects.for_tenant(tenant).filter(pk=order.pk).exists()


@pytest.mark.django_db
def test_each_status_email(tenant, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(make_variant(tenant), 1)])).order
        services.record_payment_status(tenant=tenant, order_id=order.pk, status="paid")
        services.fulfil_order(tenant=tenant, order_id=order.pk)
    with django_capture_on_commit_callbacks(execute=True):
        other = services.place_order(
            tenant=tenant, cart=ready_cart(tenant, shop, [(make_variant(tenant, name="Cup"), 1)])
        ).order
        services.cancel_order(tenant=tenant, order_id=other.pk)
    subjects = [m.subject.split(" ")[0] for m in mail.outbox]
    assert subjects == ["Your", "Payment", "Order", "Your", "Order"]
    assert "is on its way" in mail.outbox[2].subject and "was cancelled" in mail.outbox[4].subject
