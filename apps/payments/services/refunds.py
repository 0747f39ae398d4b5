"""Refunds through the order's payment, and the money side of a cancelled order.

A refund is reserved first: in a short transaction the payment row is locked
(``SELECT ... FOR UPDATE``), the amount checked against what is left and added to
``Payment.amount_refunded`` (``CHECK amount_refunded <= amount`` in the database), and a pending
:class:`Refund` written. Only then, with no lock held, is the provider called (Stripe: a Refund
with the idempotency key ``bazaar-t<tenant>-refund-<id>``; bank transfer / COD: a manual record).
Its answer is saved in a second transaction: succeeded (payment status partially refunded /
refunded, an order event, the "refunded" email) or failed (the reservation given back). Two staff
refunding at once queue on the row lock; the second sees the first's reservation.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from apps.core.errors import Conflict, ErrorCode, NotFound
from apps.core.outbox import enqueue_task
from apps.orders import hooks
from apps.orders import selectors as order_selectors
from apps.orders import services as order_services
from apps.payments.models import Payment, Refund, RefundStatus
from apps.payments.providers import get_provider
from apps.payments.providers.base import PaymentStatus, ProviderError
from apps.payments.selectors import get_order_payment, get_provider_config
from apps.payments.services.status import move_payment_status, record_transaction
from apps.payments.transitions import OPEN_STATUSES

logger = logging.getLogger("bazaar.payments")
CHARGED = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED)


def _outcome(refund: Refund, *, provider: str, created: bool) -> hooks.RefundOutcome:
    return hooks.RefundOutcome(
        refund_id=refund.pk,
        amount=refund.amount,
        currency=refund.currency,
        status=refund.status,
        manual=refund.manual,
        provider=provider,
        created=created,
    )


def refundable_amount(*, tenant, order) -> Decimal:
    """What may still be refunded on ``order``: its collected payment's amount less what is
    refunded or reserved; 0 when nothing was collected."""
    payment = get_order_payment(tenant=tenant, order_id=order.pk, provider=order.payment_method)
    if payment is None or payment.status not in CHARGED:
        return Decimal("0.00")
    return payment.amount - payment.amount_refunded


def _reserve(*, tenant, payment: Payment, request: hooks.RefundRequest, key: str, manual: bool):
    """Lock the payment, check the amount, reserve it, write the pending refund (one transaction).
    Returns ``(refund, created)``; a refund already made with ``key`` is returned as it is."""
    with transaction.atomic():
        locked = Payment.objects.for_tenant(tenant).select_for_update().get(pk=payment.pk)
        existing = Refund.objects.for_tenant(tenant).filter(idempotency_key=key).first()
        if existing is not None:
            if existing.order_id != request.order_id or existing.amount != request.amount:
                raise Conflict(
                    "This idempotency key was used for another refund.", code=ErrorCode.IDEMPOTENCY_KEY_REUSED
                )
            return existing, False
        if locked.status not in (*CHARGED, PaymentStatus.REFUNDED):  # refunded: "0.00 left" below
            raise Conflict(
                "Nothing was collected on this order: there is nothing to refund.", code=ErrorCode.NOT_REFUNDABLE
            )
        left = locked.amount - locked.amount_refunded
        if request.amount > left:
            raise Conflict(
                f"At most {left} {locked.currency} can still be refunded.",
                code=ErrorCode.REFUND_EXCEEDS_CHARGE,
                details={"refundable": str(left), "requested": str(request.amount), "currency": locked.currency},
            )
        try:
            with transaction.atomic():
                Payment.objects.for_tenant(tenant).filter(pk=locked.pk).update(
                    amount_refunded=F("amount_refunded") + request.amount
                )
        except IntegrityError:  # the CHECK: only reachable by a writer that skipped the lock
            raise Conflict(
                "The refund would exceed the charge.", code=ErrorCode.REFUND_EXCEEDS_CHARGE, details={"refundable": "0"}
            ) from None
        refund = Refund.objects.create(
            tenant_id=locked.tenant_id,
            payment=locked,
            order_id=locked.order_id,
            amount=request.amount,
            currency=locked.currency,
            manual=manual,
            reason=request.reason,
            lines=request.lines,
            shipping=request.shipping,
            idempotency_key=key,
            created_by=order_services.acting_user(request.actor),
        )
        record_transaction(
            payment=locked,
            kind="refund",
            status=RefundStatus.PENDING,
            actor=order_services.acting_user(request.actor),
            data={"refund_id": refund.pk, "amount": str(request.amount)},
        )
    return refund, True


def refund_payment(*, tenant, request: hooks.RefundRequest) -> hooks.RefundOutcome:
    """Refund ``request.amount`` of the order's collected payment (see the module docstring).

    409 ``not_refundable`` (nothing collected), ``refund_exceeds_charge`` (``details.refundable``),
    ``idempotency_key_reused``; 502 ``provider_error`` (the reservation is given back, nothing else
    changed). The same ``idempotency_key`` twice returns the first refund (``created=False``).
    Must not run inside a transaction (the provider call would hold the row lock).
    """
    order = order_selectors.access_order(tenant=tenant, id=request.order_id)
    try:
        provider = get_provider(order.payment_method)
    except NotFound:
        raise Conflict("This order's payment method cannot refund.", code=ErrorCode.NOT_REFUNDABLE) from None
    payment = get_order_payment(tenant=tenant, order_id=order.pk, provider=provider.code)
    if payment is None:
        raise Conflict(
            "Nothing was collected on this order: there is nothing to refund.", code=ErrorCode.NOT_REFUNDABLE
        )
    key = f"staff:{request.idempotency_key}" if request.idempotency_key else f"auto:{uuid.uuid4().hex}"
    refund, created = _reserve(tenant=tenant, payment=payment, request=request, key=key, manual=provider.manual)
    if not created or refund.status != RefundStatus.PENDING:
        return _outcome(refund, provider=provider.code, created=False)
    config = get_provider_config(tenant=tenant, provider=provider.code)
    try:
        result = provider.refund(
            config=config,
            reference=payment.provider_reference or str(order.number),
            amount=refund.amount,
            currency=refund.currency,
            idempotency_key=f"bazaar-t{payment.tenant_id}-refund-{refund.pk}",
        )
    except ProviderError as exc:
        _give_back(tenant=tenant, refund=refund, message=exc.message)
        raise
    _complete(tenant=tenant, refund=refund, reference=str(result.data.get("refund", "")), actor=request.actor)
    refund.refresh_from_db()
    return _outcome(refund, provider=provider.code, created=True)


def _give_back(*, tenant, refund: Refund, message: str) -> None:
    """The provider refused: the refund failed and its reservation is released."""
    with transaction.atomic():
        locked = Payment.objects.for_tenant(tenant).select_for_update().get(pk=refund.payment_id)
        Payment.objects.for_tenant(tenant).filter(pk=locked.pk).update(
            amount_refunded=F("amount_refunded") - refund.amount
        )
        Refund.objects.for_tenant(tenant).filter(pk=refund.pk).update(status=RefundStatus.FAILED, failure=message[:500])
        record_transaction(payment=locked, kind="error", data={"operation": "refund", "refund_id": refund.pk})


def _complete(*, tenant, refund: Refund, reference: str, actor) -> None:
    """The provider gave the money back: the refund succeeded, the statuses follow, orders records it."""
    with transaction.atomic():
        locked = Payment.objects.for_tenant(tenant).select_for_update().get(pk=refund.payment_id)
        Refund.objects.for_tenant(tenant).filter(pk=refund.pk).update(
            status=RefundStatus.SUCCEEDED, provider_reference=reference[:255]
        )
        done = Refund.objects.for_tenant(tenant).filter(payment=locked, status=RefundStatus.SUCCEEDED).aggregate(
            total=Sum("amount")
        )["total"] or Decimal("0")
        status = PaymentStatus.REFUNDED if done >= locked.amount else PaymentStatus.PARTIALLY_REFUNDED
        move_payment_status(
            tenant=tenant,
            payment=locked,
            status=status,
            kind="refund",
            actor=order_services.acting_user(actor),
            actor_label="staff" if order_services.acting_user(actor) else "system",
            data={"refund_id": refund.pk, "amount": str(refund.amount)},
        )
        order_services.record_refund(
            tenant=tenant,
            order_id=locked.order_id,
            refund_id=refund.pk,
            amount=refund.amount,
            currency=refund.currency,
            manual=refund.manual,
            actor=order_services.acting_user(actor),
            data={"lines": refund.lines, "shipping": str(refund.shipping), "reason": refund.reason},
        )


def settle_cancellation(*, tenant, order, amount: Decimal, whole: bool) -> None:
    """orders' hook, inside the cancel transaction: enqueue the provider work for after commit."""

    enqueue_task(
        "payments.settle_cancelled_order",
        tenant_id=order.tenant_id,
        order_id=order.pk,
        amount=str(amount),
        whole=bool(whole),
    )


def settle_cancelled_order(*, tenant, order_id: int, amount: Decimal, whole: bool) -> str:
    """After a cancellation: an uncollected payment is cancelled at the provider (whole orders), a
    collected one refunded by the cancelled amount (capped by what is left; a manual refund for
    bank transfer / COD). Idempotent (one cancellation per order: key ``cancel-o<id>``); a
    provider failure raises :class:`ProviderError` so the task retries. Returns what it did."""
    order = order_selectors.access_order(tenant=tenant, id=order_id)
    try:
        provider = get_provider(order.payment_method)
    except NotFound:
        return "no_payment"  # a method no provider of ours handles (registered by another app)
    payment = get_order_payment(tenant=tenant, order_id=order.pk, provider=provider.code)
    if payment is None:
        return "no_payment"
    if payment.status in (*OPEN_STATUSES, PaymentStatus.AUTHORISED):
        if not whole:
            return "left_open"  # part of an uncollected payment: collected later for the rest
        if payment.provider_reference:
            config = get_provider_config(tenant=tenant, provider=provider.code)
            provider.cancel(
                config=config, reference=payment.provider_reference, idempotency_key=f"{payment.idempotency_key}-cancel"
            )
        moved = move_payment_status(
            tenant=tenant, payment=payment, status=PaymentStatus.CANCELLED, kind="cancel", actor_label="system"
        )
        return "cancelled" if moved else "unchanged"
    if payment.status not in CHARGED:
        return "unchanged"
    left = payment.amount - payment.amount_refunded
    give = min(Decimal(amount), left)
    if give <= 0:
        return "nothing_left"
    refund_payment(
        tenant=tenant,
        request=hooks.RefundRequest(
            order_id=order.pk, amount=give, reason="Order cancelled", idempotency_key=f"cancel-o{order.pk}"
        ),
    )
    return "refunded"
