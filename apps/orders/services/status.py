"""Order status and payment status changes, each through ``apps.orders.transitions`` and each
appending an :class:`~apps.orders.models.OrderEvent`. Every function locks the order row first,
so concurrent calls (a webhook and a staff click) apply one after the other."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.catalog import services as catalog_services
from apps.core.errors import Conflict, ErrorCode, Invalid, NotFound
from apps.core.outbox import enqueue_task
from apps.orders import hooks
from apps.orders.models import Order, OrderEvent, OrderLine, OrderStatus, PaymentStatus
from apps.orders.pricing import shipping_payable, units_payable, units_total
from apps.orders.transitions import can_move_order, can_move_payment
from apps.promotions import services as promotions_services

EMAIL_ON_PAYMENT = {PaymentStatus.PAID: "paid"}


def lock_order(tenant, order_id: int) -> Order:
    """The tenant's order, ``SELECT ... FOR UPDATE`` (inside a transaction); :class:`NotFound`."""
    order = Order.objects.for_tenant(tenant).select_for_update().filter(pk=order_id).first()
    if order is None:
        raise NotFound("No such order.")
    return order


def acting_user(actor):
    """``actor`` if it is a signed-in user (stored as the event's or row's author), else None."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def append_order_event(*, tenant, order: Order, kind: str, actor=None, actor_label: str = "", data=None) -> OrderEvent:
    """Append one event to the order's history (who, when, what)."""
    user = acting_user(actor)
    return OrderEvent.objects.create(
        tenant=tenant,
        order=order,
        actor=user,
        actor_label=actor_label or ("staff" if user else "system"),
        kind=kind,
        data=data or {},
    )


def record_payment_status(*, tenant, order_id: int, status: str, actor=None, note: str = "", data=None) -> Order:
    """Move the order's payment status to ``status`` if the transitions table allows it.

    A move that is not allowed (backwards, or already there) is a no-op returning the order
    unchanged, so duplicate and late provider notices are harmless. Authorised or paid confirms
    an unconfirmed (card) order. "paid" enqueues the paid email (outbox).
    """
    if status not in PaymentStatus.values:
        raise Invalid({"status": [f"Choose one of: {', '.join(PaymentStatus.values)}."]})
    with transaction.atomic():
        order = lock_order(tenant, order_id)
        if not can_move_payment(order.payment_status, status):
            return order
        previous = order.payment_status
        order.payment_status = status
        fields = ["payment_status", "updated_at"]
        if status in (PaymentStatus.AUTHORISED, PaymentStatus.PAID) and order.status == OrderStatus.UNCONFIRMED:
            order.status = OrderStatus.UNFULFILLED
            fields.append("status")
        order.save(update_fields=fields)
        append_order_event(
            tenant=tenant,
            order=order,
            kind="payment_status_changed",
            actor=actor,
            data={"from": previous, "to": status, "note": note[:500], **(data or {})},
        )
        hooks.notify_payment_status(tenant, order, previous, status)
        if status in EMAIL_ON_PAYMENT:
            enqueue_task(
                "orders.send_order_email", tenant_id=tenant.pk, order_id=order.pk, kind=EMAIL_ON_PAYMENT[status]
            )
    return order


def cancel_order(*, tenant, order_id: int, actor=None, reason: str = "") -> Order:
    """Cancel every unit not yet shipped: its allocation is released exactly once, payments is told
    what to give back (``hooks.settle_cancellation``: a Stripe PaymentIntent cancelled, or the
    amount refunded, after commit), the shopper is emailed.

    Nothing shipped yet: the order becomes ``cancelled`` (the shipping is given back too). Part
    shipped: the rest is cancelled and the order is ``fulfilled`` (nothing is left to ship).
    A whole cancellation gives the voucher use back (:func:`release_order_voucher`). Receivers of
    ``order_cancelled`` (analytics) are told what was cancelled and what of it no refund gives
    back (``hooks.unrefunded_amount``), in this transaction.
    Calling it again changes nothing and returns the order; an order with nothing left to cancel
    (fulfilled, returned) is 409 ``invalid_transition``. One lock on the order row serialises it
    with fulfilments, so a unit is shipped or cancelled, never both (a CHECK on the line too).
    """
    with transaction.atomic():
        order = lock_order(tenant, order_id)
        if order.status == OrderStatus.CANCELLED:
            return order
        lines = list(order.lines.order_by("id"))
        open_lines = [line for line in lines if line.quantity_open > 0]
        shipped_any = any(line.quantity_fulfilled for line in lines)
        target = OrderStatus.FULFILLED if shipped_any else OrderStatus.CANCELLED
        if not open_lines and any(line.quantity_cancelled for line in lines):
            return order  # the unshipped rest was cancelled already
        if not open_lines or not can_move_order(order.status, target):
            raise Conflict(
                f"A {order.get_status_display().lower()} order cannot be cancelled.", code=ErrorCode.INVALID_TRANSITION
            )
        quantities: dict[int, int] = {}
        cancelled, amount = [], Decimal("0.00")
        for line in open_lines:
            units = line.quantity_open
            if line.variant_id:
                quantities[line.variant_id] = quantities.get(line.variant_id, 0) + units
            share = units_payable(order, line, units, before=line.quantity_fulfilled)
            total = units_total(line, units, before=line.quantity_fulfilled)
            cancelled.append(
                {"line_id": line.pk, "sku": line.sku, "quantity": units, "amount": str(share), "total": str(total)}
            )
            amount += share
            line.quantity_cancelled += units
        if not shipped_any:
            amount += shipping_payable(order)
        if not order.allocations_released:
            catalog_services.deallocate_stock(tenant=tenant, quantities=quantities)
        OrderLine.objects.for_tenant(tenant).bulk_update(open_lines, ["quantity_cancelled"])
        previous = order.status
        order.status = target
        order.allocations_released = True
        order.save(update_fields=["status", "allocations_released", "updated_at"])
        append_order_event(
            tenant=tenant,
            order=order,
            kind="cancelled" if not shipped_any else "remainder_cancelled",
            actor=actor,
            data={"from": previous, "reason": reason[:500], "lines": cancelled, "amount": str(amount)},
        )
        if not shipped_any:
            release_order_voucher(tenant=tenant, order=order, actor=actor)
        hooks.settle_cancellation(tenant=tenant, order=order, amount=amount, whole=not shipped_any)
        hooks.send_order_cancelled(
            hooks.OrderCancellation(
                tenant_id=tenant.pk,
                order_id=order.pk,
                whole=not shipped_any,
                amount=amount,
                unrefunded=hooks.unrefunded_amount(payment_status=order.payment_status, amount=amount),
                lines=cancelled,
                voucher_code=order.voucher_code if not shipped_any else "",
                cancelled_at=timezone.now(),
            )
        )
        enqueue_task("orders.send_order_email", tenant_id=tenant.pk, order_id=order.pk, kind="cancelled")
    return order


def release_order_voucher(*, tenant, order: Order, actor=None) -> None:
    """Give back the voucher use of ``order`` (locked, being cancelled whole) and record it in the
    order's history (``voucher_released``); nothing when it used none or it was given back."""
    redemption = promotions_services.release_voucher_redemption(tenant=tenant, order_id=order.pk)
    if redemption is None:
        return
    append_order_event(
        tenant=tenant,
        order=order,
        kind="voucher_released",
        actor=actor,
        data={"code": redemption.voucher.code, "discount": str(redemption.discount)},
    )
