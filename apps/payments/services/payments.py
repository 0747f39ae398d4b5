"""Starting a payment after an order is placed, and staff marking an offline payment paid."""

from __future__ import annotations

import logging

from django.db import transaction

from apps.core.errors import Conflict, ErrorCode
from apps.orders import selectors as order_selectors
from apps.orders.hooks import PaymentStep
from apps.payments.models import Payment
from apps.payments.providers import get_provider
from apps.payments.providers.base import ChargeRequest, PaymentStatus, ProviderError, ProviderResult
from apps.payments.selectors import get_provider_config
from apps.payments.services.status import move_payment_status, record_transaction
from apps.payments.transitions import OPEN_STATUSES

logger = logging.getLogger("bazaar.payments")


def payment_key(*, order, provider: str) -> str:
    """The idempotency key of an order's payment through ``provider`` (one payment per pair)."""
    return f"bazaar-t{order.tenant_id}-o{order.pk}-{provider}"


def get_or_create_payment(*, order, provider: str) -> Payment:
    """The order's payment row for ``provider``, created (pending, the order's total) the first time."""
    payment, _ = Payment.objects.for_tenant(order.tenant_id).get_or_create(
        idempotency_key=payment_key(order=order, provider=provider),
        defaults={
            "tenant_id": order.tenant_id,
            "order_id": order.pk,
            "provider": provider,
            "amount": order.total,
            "currency": order.currency,
        },
    )
    return payment


def _step(*, provider, config, payment: Payment, result: ProviderResult) -> PaymentStep:
    if provider.code == "stripe":
        if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.AUTHORISED):
            return PaymentStep(kind="none", message="Your card payment was received.")
        return PaymentStep(
            kind="client_secret",
            client_secret=payment.client_secret,
            publishable_key=config.publishable_key,
            message="Enter your card details to pay.",
        )
    return PaymentStep(kind="instructions", message=result.message)


def start_payment(*, order) -> PaymentStep:
    """Begin collecting ``order``'s money through its payment method; safe to call again.

    Runs after the place-order transaction committed, outside any transaction: the provider is
    called with no row locked. The payment row is created first (so a retry finds it), the
    provider answers (Stripe: a PaymentIntent, created with the payment's idempotency key, or
    retrieved if we already hold its id), then the answer is saved in a short transaction. A
    provider failure is recorded on the payment and raised (:class:`ProviderError`, 502); the
    order stays placed and unpaid, and "try again" calls this again.
    """
    provider = get_provider(order.payment_method)
    config = get_provider_config(tenant=order.tenant_id, provider=provider.code)
    payment = get_or_create_payment(order=order, provider=provider.code)
    try:
        if payment.provider_reference and hasattr(provider, "retrieve"):
            result = provider.retrieve(config=config, reference=payment.provider_reference)
        else:
            charge = ChargeRequest(
                reference=str(order.number),
                amount=payment.amount,
                currency=payment.currency,
                idempotency_key=payment.idempotency_key,
                metadata={"payment_id": str(payment.pk)},
            )
            result = provider.initiate(config=config, charge=charge)
    except ProviderError as exc:
        record_transaction(payment=payment, kind="error", data={"operation": "initiate", "message": exc.message})
        raise
    with transaction.atomic():
        locked = Payment.objects.for_tenant(order.tenant_id).select_for_update().get(pk=payment.pk)
        if result.reference and not locked.provider_reference:
            locked.provider_reference = result.reference
            locked.client_secret = result.client_secret
            locked.save(update_fields=["provider_reference", "client_secret", "updated_at"])
            record_transaction(
                payment=locked, kind="initiate", status=result.status, data={"reference": result.reference}
            )
        if result.status != locked.status:
            move_payment_status(
                tenant=order.tenant, payment=locked, status=result.status, kind="initiate", actor_label=provider.code
            )
    return _step(provider=provider, config=config, payment=locked, result=result)


def mark_paid(*, tenant, order_id: int, actor) -> Payment:
    """Staff received a bank transfer or the courier's cash: the payment succeeds, the order is paid.

    Only for manual providers (``not_manual_payment`` 409 for card orders) and not for a cancelled
    order (409). Marking twice is harmless: the second time changes nothing.
    """
    order = order_selectors.access_order(tenant=tenant, id=order_id)
    provider = get_provider(order.payment_method)
    if not provider.manual:
        raise Conflict(
            f"{provider.label} payments are recorded by the provider, not by hand.", code=ErrorCode.NOT_MANUAL_PAYMENT
        )
    if order.status == "cancelled":
        raise Conflict("This order is cancelled: it cannot be marked paid.", code=ErrorCode.CONFLICT)
    with transaction.atomic():
        payment = get_or_create_payment(order=order, provider=provider.code)
        if payment.status in OPEN_STATUSES:
            config = get_provider_config(tenant=tenant, provider=provider.code)
            result = provider.capture(
                config=config,
                reference=str(order.number),
                amount=payment.amount,
                currency=payment.currency,
                idempotency_key=f"{payment.idempotency_key}-capture",
            )
            move_payment_status(
                tenant=tenant, payment=payment, status=result.status, kind="mark_paid", actor=actor, actor_label="staff"
            )
    payment.refresh_from_db()
    return payment
