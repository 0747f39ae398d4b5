"""The beat job's work: card orders still unpaid after the tenant's time are cancelled."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.orders import selectors as order_selectors
from apps.orders import services as order_services
from apps.payments.models import Payment
from apps.payments.providers import get_provider, list_providers
from apps.payments.providers.base import PaymentStatus, ProviderError
from apps.payments.selectors import get_provider_config
from apps.payments.services.status import move_payment_status
from apps.payments.transitions import OPEN_STATUSES

logger = logging.getLogger("bazaar.payments")
BATCH = 200


def _cancel_at_provider(payment: Payment):
    """Ask the provider to cancel (outside any transaction). None if it could not be reached."""
    provider = get_provider(payment.provider)
    if not payment.provider_reference:
        return PaymentStatus.CANCELLED
    config = get_provider_config(tenant=payment.tenant_id, provider=payment.provider)
    try:
        result = provider.cancel(
            config=config, reference=payment.provider_reference, idempotency_key=f"{payment.idempotency_key}-cancel"
        )
    except ProviderError:
        logger.warning("could not cancel payment %s at %s; will retry", payment.pk, payment.provider)
        return None
    return result.status


def expire_unpaid_card_orders(*, now=None) -> int:
    """Cancel card orders whose payment is still open after ``unpaid_order_expiry_minutes``.

    For each candidate the provider is asked to cancel first, with no row locked: if it says the
    money came in after all (succeeded/authorised), that status is applied and the order is kept;
    if it cannot be reached, the order waits for the next run. Otherwise the payment is cancelled
    and ``orders.services.cancel_order`` releases the stock (exactly once, orders guarantees it).
    Returns the number of orders cancelled.
    """
    now = now or timezone.now()
    card_providers = [p.code for p in list_providers() if p.holds_stock_until_paid]
    candidates = list(
        Payment.objects.all_tenants()  # a platform job across tenants; each order is then handled in its own tenant
        .select_related("tenant")
        .filter(provider__in=card_providers, status__in=OPEN_STATUSES, created_at__lt=now - timedelta(minutes=1))
        .order_by("created_at", "id")[:BATCH]
    )
    expired = 0
    for payment in candidates:
        minutes = order_selectors.get_selling_settings(tenant=payment.tenant).unpaid_order_expiry_minutes
        if payment.created_at > now - timedelta(minutes=minutes):
            continue
        order = order_selectors.access_order(tenant=payment.tenant, id=payment.order_id)
        if order.status == "cancelled" or order.payment_status != "unpaid":
            continue
        status = _cancel_at_provider(payment)
        if status is None:
            continue
        with transaction.atomic():
            if status in (PaymentStatus.SUCCEEDED, PaymentStatus.AUTHORISED):
                move_payment_status(
                    tenant=payment.tenant, payment=payment, status=status, kind="expire_check", actor_label="system"
                )
                continue
            move_payment_status(
                tenant=payment.tenant,
                payment=payment,
                status=PaymentStatus.CANCELLED,
                kind="expire",
                actor_label="system",
            )
            order_services.cancel_order(
                tenant=payment.tenant, order_id=payment.order_id, reason="The card payment was not completed in time."
            )
        expired += 1
    return expired
