"""Console: payment provider settings (secrets encrypted at rest) and "Mark paid" for bank
transfer and cash on delivery, by role, in the tenant's own orders only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory

from apps.orders.hooks import list_payment_methods, render_order_sections
from apps.orders.models import Order, OrderEvent
from apps.payments.models import Payment, PaymentProviderConfig
from apps.tenants.access import resolve_member_access
from tests.factories import TenantFactory
from tests.payments.conftest import PUBLISHABLE_KEY, SECRET_KEY, make_variant, place, setup_shop

pytestmark = pytest.mark.django_db


def settings_url(tenant) -> str:
    return f"/a/{tenant.slug}/payments/"


def mark_paid_url(tenant, order) -> str:
    return f"/a/{tenant.slug}/payments/orders/{order.pk}/mark-paid"


def test_owner_enables_bank_transfer_and_checkout_offers_it(client, tenant, owner):
    client.force_login(owner)
    assert [m.code for m in list_payment_methods(tenant)] == []
    page = client.get(settings_url(tenant))
    assert page.status_code == 200 and b"Bank transfer" in page.content and b"Card (Stripe)" in page.content
    response = client.post(
        settings_url(tenant),
        {"provider": "bank_transfer", "bank_transfer-enabled": "on", "bank_transfer-instructions": "IBAN FR76 1234"},
    )
    assert response.status_code == 302
    assert [m.code for m in list_payment_methods(tenant)] == ["bank_transfer"]


def test_stripe_keys_are_encrypted_at_rest_and_never_shown(client, tenant, owner):
    client.force_login(owner)
    data = {
        "provider": "stripe",
        "stripe-enabled": "on",
        "stripe-publishable_key": PUBLISHABLE_KEY,
        "stripe-secret_key": SECRET_KEY,
        "stripe-webhook_secret": "whsec_abc123",
    }
    assert client.post(settings_url(tenant), data).status_code == 302
    config = PaymentProviderConfig.objects.for_tenant(tenant).get(provider="stripe")
    assert config.secret_key == SECRET_KEY and config.webhook_secret == "whsec_abc123"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret_key, webhook_secret FROM payments_paymentproviderconfig WHERE id = %s", [config.pk]
        )
        raw_secret, raw_webhook = cursor.fetchone()
    assert SECRET_KEY not in raw_secret and raw_secret.startswith("gAAAAA") and "whsec" not in raw_webhook
    page = client.get(settings_url(tenant)).content.decode()
    assert SECRET_KEY not in page and "whsec_abc123" not in page
    # Saving again with the secret fields left empty keeps the stored secrets.
    assert (
        client.post(settings_url(tenant), {**data, "stripe-secret_key": "", "stripe-webhook_secret": ""}).status_code
        == 302
    )
    config.refresh_from_db()
    assert config.secret_key == SECRET_KEY and config.webhook_secret == "whsec_abc123"
    assert "stripe" in [m.code for m in list_payment_methods(tenant)]


def test_bad_keys_are_refused_beside_the_field_and_nothing_is_saved(client, tenant, owner):
    client.force_login(owner)
    response = client.post(
        settings_url(tenant),
        {
            "provider": "stripe",
            "stripe-enabled": "on",
            "stripe-publishable_key": "pk_test_1",
            "stripe-secret_key": "oops",
        },
    )
    assert response.status_code == 400
    assert "starts with sk_" in response.content.decode()
    assert not PaymentProviderConfig.objects.for_tenant(tenant).exists()
    missing = client.post(settings_url(tenant), {"provider": "stripe", "stripe-enabled": "on"})
    assert missing.status_code == 400 and "Needed before Stripe can be enabled" in missing.content.decode()
    assert not PaymentProviderConfig.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize("role", ["viewer", "analyst", "editor"])
def test_only_managers_change_payment_settings(client, tenant, make_member, role):
    client.force_login(make_member(tenant, role))
    assert client.get(settings_url(tenant)).status_code == 403
    assert (
        client.post(settings_url(tenant), {"provider": "bank_transfer", "bank_transfer-enabled": "on"}).status_code
        == 403
    )
    assert not PaymentProviderConfig.objects.for_tenant(tenant).exists()


@pytest.fixture
def bank_order(tenant, shop):
    order, step = place(tenant, shop, [(make_variant(tenant, price="12.50"), 2)], payment_method="bank_transfer")
    return order, step


def test_bank_transfer_instructions_quote_the_order_number(bank_order):
    order, step = bank_order
    assert step.kind == "instructions"
    assert f"reference {order.number}" in step.message and "IBAN FR76" in step.message


def test_owner_marks_a_bank_transfer_paid_once(client, tenant, owner, bank_order, django_capture_on_commit_callbacks):
    from django.core import mail

    order, _ = bank_order
    client.force_login(owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(mark_paid_url(tenant, order), {"next": f"/a/{tenant.slug}/orders/{order.pk}/"})
        second = client.post(mark_paid_url(tenant, order))
    assert first.status_code == 302 and first["Location"] == f"/a/{tenant.slug}/orders/{order.pk}/"
    assert second.status_code == 302
    order.refresh_from_db()
    assert order.payment_status == "paid"
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    assert payment.status == "succeeded" and payment.transactions.filter(kind="mark_paid", actor=owner).count() == 1
    events = OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="payment_status_changed")
    assert [(e.data["to"], e.actor_id) for e in events] == [("paid", owner.pk)]
    assert [m.subject for m in mail.outbox if m.subject.startswith("Payment received")] != []


def test_an_offsite_next_is_not_followed(client, tenant, owner, bank_order):
    order, _ = bank_order
    client.force_login(owner)
    response = client.post(mark_paid_url(tenant, order), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == settings_url(tenant)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_mark_paid_needs_orders_manage(client, tenant, make_member, bank_order, role):
    order, _ = bank_order
    client.force_login(make_member(tenant, role))
    assert client.post(mark_paid_url(tenant, order)).status_code == 403
    order.refresh_from_db()
    assert order.payment_status == "unpaid"


def test_another_shops_order_is_404_and_untouched(client, tenant, bank_order, make_member):
    order, _ = bank_order
    other = TenantFactory()
    client.force_login(make_member(other, "owner"))
    assert client.post(f"/a/{other.slug}/payments/orders/{order.pk}/mark-paid").status_code == 404
    assert Order.objects.for_tenant(tenant).get(pk=order.pk).payment_status == "unpaid"


def test_card_orders_cannot_be_marked_paid(client, tenant, owner, localstripe):
    shipping = setup_shop(tenant, stripe_enabled=True)
    order, _ = place(tenant, shipping, [(make_variant(tenant), 1)], payment_method="stripe")
    client.force_login(owner)
    response = client.post(mark_paid_url(tenant, order), follow=True)
    assert "recorded by the provider" in response.content.decode()
    order.refresh_from_db()
    assert order.payment_status == "unpaid"


@pytest.mark.parametrize(("role", "expected"), [("owner", True), ("viewer", False)], ids=["owner", "viewer"])
def test_order_detail_section_offers_mark_paid_to_managers_only(tenant, owner, make_member, bank_order, role, expected):
    order, _ = bank_order
    user = owner if role == "owner" else make_member(tenant, role)
    request = RequestFactory().get(f"/a/{tenant.slug}/orders/{order.pk}/")
    request.user = user
    request.tenant = tenant
    request.tenant_access = resolve_member_access(user=user, slug=tenant.slug)
    sections = render_order_sections(request, order)
    payments = [s for s in sections if s["template"] == "payments/console/_order_payments.html"]
    assert len(payments) == 1 and payments[0]["context"]["can_mark_paid"] is expected
    assert [p.status for p in payments[0]["context"]["payments"]] == ["pending"]
