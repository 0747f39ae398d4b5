"""Payments' Celery tasks (they take ids, call a service, are safe to retry)."""

from __future__ import annotations

from celery import shared_task

from apps.payments import services


@shared_task(name="payments.expire_unpaid_card_orders")
def expire_unpaid_card_orders() -> int:
    """Beat, every minute: cancel card orders left unpaid past the tenant's expiry (releases stock)."""
    return services.expire_unpaid_card_orders()
