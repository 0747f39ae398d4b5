"""Moving a payment's status: the one place that does it, through the transitions table."""

from __future__ import annotations

from django.db import transaction

from apps.orders import services as order_services
from apps.payments.models import Payment, PaymentTransaction
from apps.payments.transitions import ORDER_PAYMENT_STATUS, can_move


def record_transaction(*, payment: Payment, kind: str, status: str = "", actor=None, data: dict | None = None) -> None:
    """Append one line to the payment's history."""
    PaymentTransaction.objects.create(
        tenant_id=payment.tenant_id, payment=payment, kind=kind, status=status, actor=actor, data=data or {}
    )


@transaction.atomic
def move_payment_status(
    *, tenant, payment: Payment, status: str, kind: str, actor=None, actor_label: str = "", data: dict | None = None
) -> bool:
    """Move ``payment`` (of ``tenant``, a Tenant) to ``status`` if the table allows it, and the
    order's payment status with it.

    Locks the payment row (then orders locks the order row), appends a transaction line and, when
    the new status means something for the order (authorised, paid, refunded), calls
    ``orders.services.record_payment_status``. A move the table refuses (backwards, or to where
    it already is) changes nothing and returns False. No network call happens in here.
    """
    locked = Payment.objects.for_tenant(tenant).select_for_update().get(pk=payment.pk)
    if not can_move(locked.status, status):
        return False
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    payment.status = status
    record_transaction(payment=locked, kind=kind, status=status, actor=actor, data=data)
    order_status = ORDER_PAYMENT_STATUS.get(status)
    if order_status:
        order_services.record_payment_status(
            tenant=tenant,
            order_id=locked.order_id,
            status=order_status,
            actor=actor,
            note=actor_label or kind,
            data={"payment_id": locked.pk, "provider": locked.provider, **(data or {})},
        )
    return True
