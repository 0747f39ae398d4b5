"""Payments' Celery tasks (they take ids, call a service, are safe to retry)."""

from __future__ import annotations

from decimal import Decimal

from celery import shared_task

from apps.core.tasks import TRANSIENT_ERRORS
from apps.payments import services
from apps.payments.providers.base import ProviderError
from apps.tenants.selectors import get_tenant_by_id


@shared_task(name="payments.expire_unpaid_card_orders")
def expire_unpaid_card_orders() -> int:
    """Beat, every minute: cancel card orders left unpaid past the tenant's expiry (releases stock)."""
    return services.expire_unpaid_card_orders()


@shared_task(
    name="payments.settle_cancelled_order",
    autoretry_for=(*TRANSIENT_ERRORS, ProviderError),
    retry_backoff=True,
    max_retries=8,
)
def settle_cancelled_order(tenant_id: int, order_id: int, amount: str, whole: bool) -> str:
    """After an order (or its unshipped rest) is cancelled: cancel or refund its payment, once."""
    tenant = get_tenant_by_id(tenant_id=tenant_id)
    return services.settle_cancelled_order(tenant=tenant, order_id=order_id, amount=Decimal(amount), whole=whole)
