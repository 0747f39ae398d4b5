"""Reads for payments: provider settings, an order's payments, the console table."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.payments.models import Payment, PaymentProviderConfig, PaymentTransaction, WebhookEvent
from apps.payments.providers import get_provider, list_providers


def get_provider_config(*, tenant, provider: str) -> PaymentProviderConfig:
    """The tenant's settings for ``provider``; an unsaved, disabled one if never configured."""
    get_provider(provider)  # NotFound for an unknown code
    config = PaymentProviderConfig.objects.for_tenant(tenant).filter(provider=provider).first()
    return config or PaymentProviderConfig(tenant=tenant, provider=provider, enabled=False)


def list_provider_configs(*, tenant) -> dict[str, PaymentProviderConfig]:
    """Every provider's settings for the tenant, by code (unsaved disabled ones for the rest)."""

    saved = {config.provider: config for config in PaymentProviderConfig.objects.for_tenant(tenant)}
    return {
        provider.code: saved.get(provider.code)
        or PaymentProviderConfig(tenant=tenant, provider=provider.code, enabled=False)
        for provider in list_providers()
    }


def is_provider_enabled(*, tenant, provider: str) -> bool:
    """Whether checkout may offer ``provider`` to the tenant's shoppers (enabled and, if it needs keys, keyed)."""
    config = get_provider_config(tenant=tenant, provider=provider)
    if not config.enabled:
        return False
    if get_provider(provider).needs_keys:
        return bool(config.secret_key and config.publishable_key and config.webhook_secret)
    return True


def list_order_payments(*, tenant, order_id: int) -> QuerySet[Payment]:
    """An order's payments, oldest first."""
    return Payment.objects.for_tenant(tenant).filter(order_id=order_id).order_by("created_at", "id")


def get_order_payment(*, tenant, order_id: int, provider: str) -> Payment | None:
    """The order's payment through ``provider`` (one per order and provider), or None."""
    return Payment.objects.for_tenant(tenant).filter(order_id=order_id, provider=provider).first()


def list_payment_transactions(*, tenant, payment_id: int) -> QuerySet[PaymentTransaction]:
    """What happened to a payment, oldest first."""
    return PaymentTransaction.objects.for_tenant(tenant).filter(payment_id=payment_id).order_by("created_at", "id")


def list_webhook_events(*, tenant) -> QuerySet[WebhookEvent]:
    """Webhook events received for the tenant, newest first."""
    return WebhookEvent.objects.for_tenant(tenant).order_by("-received_at", "-id")
