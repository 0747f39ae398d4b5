"""Order status and payment status changes, each through ``apps.orders.transitions`` and each
appending an :class:`~apps.orders.models.OrderEvent`. Every function locks the order row first,
so concurrent calls (a webhook and a staff click) apply one after the other."""

from __future__ import annotations

from django.db import transaction

from apps.catalog import services as catalog_services
from apps.core.errors import Conflict, ErrorCode, Invalid, NotFound
from apps.core.outbox import enqueue_task
from apps.orders import hooks
from apps.orders.models import Order, OrderEvent, OrderLine, OrderStatus, PaymentStatus
from apps.orders.transitions import can_move_order, can_move_payment

EMAIL_ON_PAYMENT = {PaymentStatus.PAID: "paid"}


def _lock_order(tenant, order_id: int) -> Order:
    order = Order.objects.for_tenant(tenant).select_for_update().filter(pk=order_id).first()
    if order is None:
        raise NotFound("No such order.")
    return order


def append_order_event(*, tenant, order: Order, kind: str, actor=None, actor_label: str = "", data=None) -> OrderEvent:
    """Append one event to the order's history (who, when, what)."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
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
        order = _lock_order(tenant, order_id)
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
    """Cancel the order and release its allocations exactly once; enqueue the cancelled email.

    Cancelling a cancelled order returns it unchanged; a fulfilled (or partly fulfilled) order
    cannot be cancelled (409 ``invalid_transition``).
    """
    with transaction.atomic():
        order = _lock_order(tenant, order_id)
        if order.status == OrderStatus.CANCELLED:
            return order
        if not can_move_order(order.status, OrderStatus.CANCELLED):
            raise Conflict(
                f"A {order.get_status_display().lower()} order cannot be cancelled.", code=ErrorCode.INVALID_TRANSITION
            )
        previous = order.status
        if not order.allocations_released:
            quantities: dict[int, int] = {}
            for line in order.lines.filter(variant__isnull=False):
                quantities[line.variant_id] = (
                    quantities.get(line.variant_id, 0) + line.quantity - line.quantity_fulfilled
                )
            catalog_services.deallocate_stock(tenant=tenant, quantities={k: v for k, v in quantities.items() if v})
            order.allocations_released = True
        order.status = OrderStatus.CANCELLED
        order.save(update_fields=["status", "allocations_released", "updated_at"])
        append_order_event(
            tenant=tenant, order=order, kind="cancelled", actor=actor, data={"from": previous, "reason": reason[:500]}
        )
        enqueue_task("orders.send_order_email", tenant_id=tenant.pk, order_id=order.pk, kind="cancelled")
    return order


def fulfil_order(*, tenant, order_id: int, actor=None, tracking: str = "") -> Order:
    """Ship every unshipped unit: allocations become stock decrements; enqueue the shipped email.

    409 ``invalid_transition`` for a cancelled, unconfirmed or already fulfilled order.
    """
    with transaction.atomic():
        order = _lock_order(tenant, order_id)
        if not can_move_order(order.status, OrderStatus.FULFILLED):
            raise Conflict(
                f"A {order.get_status_display().lower()} order cannot be fulfilled.", code=ErrorCode.INVALID_TRANSITION
            )
        lines = list(order.lines.all())
        quantities: dict[int, int] = {}
        for line in lines:
            if line.variant_id and line.quantity > line.quantity_fulfilled:
                quantities[line.variant_id] = (
                    quantities.get(line.variant_id, 0) + line.quantity - line.quantity_fulfilled
                )
        catalog_services.fulfil_stock(tenant=tenant, quantities=quantities)
        for line in lines:
            line.quantity_fulfilled = line.quantity
        OrderLine.objects.for_tenant(tenant).bulk_update(lines, ["quantity_fulfilled"])
        previous = order.status
        order.status = OrderStatus.FULFILLED
        order.allocations_released = True
        order.save(update_fields=["status", "allocations_released", "updated_at"])
        append_order_event(
            tenant=tenant,
            order=order,
            kind="fulfilled",
            actor=actor,
            data={"from": previous, "tracking": tracking[:200]},
        )
        enqueue_task("orders.send_order_email", tenant_id=tenant.pk, order_id=order.pk, kind="shipped")
    return order
