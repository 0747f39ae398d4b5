"""Django admin for payments: history is read-only, secrets are never shown."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from apps.payments.models import Payment, PaymentProviderConfig, PaymentTransaction, WebhookEvent
from tests.factories import UserFactory
from tests.payments.conftest import make_variant, place, setup_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", [Payment, WebhookEvent], ids=["payment", "webhook-event"])
def test_payment_history_admin_cannot_add_change_or_delete(staff, model):
    request = RequestFactory().get("/admin/")
    request.user = staff
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, None)
    assert not model_admin.has_delete_permission(request, None)


def test_payments_history_is_read_only(client, staff, tenant):
    shipping = setup_shop(tenant)
    order, _ = place(tenant, shipping, [(make_variant(tenant), 1)])
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    request = RequestFactory().get("/admin/")
    request.user = staff
    assert PaymentTransaction not in admin.site._registry or not admin.site._registry[
        PaymentTransaction
    ].has_change_permission(request)
    page = client.get(f"/admin/payments/payment/{payment.pk}/change/")
    assert page.status_code == 200 and b"client_secret" not in page.content
    assert client.post(f"/admin/payments/payment/{payment.pk}/delete/").status_code == 403
    assert Payment.objects.for_tenant(tenant).filter(pk=payment.pk).exists()


@pytest.mark.parametrize(
    "url",
    ["/admin/payments/paymentproviderconfig/", "/admin/payments/paymentproviderconfig/{pk}/change/"],
    ids=["listing", "change"],
)
def test_provider_settings_never_show_secrets(client, staff, tenant, localstripe, url):
    setup_shop(tenant, stripe_enabled=True)
    config = PaymentProviderConfig.objects.for_tenant(tenant).get(provider="stripe")
    page = client.get(url.format(pk=config.pk))
    assert page.status_code == 200
    assert config.secret_key.encode() not in page.content and config.webhook_secret.encode() not in page.content
