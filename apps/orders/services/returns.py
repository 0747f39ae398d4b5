"""Returns: staff record the units that came back, choose whether they go back on sale, and the
order moves to partially returned / returned through the transitions table."""

from __future__ import annotations

from django.db import transaction

from apps.catalog import services as catalog_services
from apps.core.errors import Conflict, ErrorCode, Invalid
from apps.orders.models import OrderLine, OrderNote, OrderStatus, Return, ReturnLine
from apps.orders.services.line_quantities import parse_line_quantities
from apps.orders.services.status import acting_user, append_order_event, lock_order
from apps.orders.transitions import can_move_order

MAX_NOTE = 5000


def record_return(*, tenant, order_id: int, lines, restock: bool = False, reason: str = "", actor=None) -> Return:
    """Record ``lines`` (``[{"line_id", "quantity"}]``, each up to the shipped units not yet
    returned) as returned. ``restock``: the units go back on hand (``Variant.stock += q``). The
    order becomes ``returned`` when every shipped unit is back, else ``partially_returned``; an
    order that is not fully shipped (or cancelled) is 409 ``invalid_transition``. Refunding is a
    separate step (``refund_order`` with the same lines), so a provider failure never undoes it.
    """
    with transaction.atomic():
        order = lock_order(tenant, order_id)
        if not can_move_order(order.status, OrderStatus.PARTIALLY_RETURNED):
            raise Conflict(
                f"A {order.get_status_display().lower()} order has nothing to return: ship or cancel the rest first.",
                code=ErrorCode.INVALID_TRANSITION,
            )
        all_lines = list(order.lines.order_by("id"))
        by_id = {line.pk: line for line in all_lines}
        chosen = parse_line_quantities(
            lines, lines=by_id, limit=lambda line: line.quantity_returnable, limit_text="shipped and not returned"
        )
        quantities: dict[int, int] = {}
        for line_id, units in chosen.items():
            line = by_id[line_id]
            line.quantity_returned += units
            if line.variant_id:
                quantities[line.variant_id] = quantities.get(line.variant_id, 0) + units
        OrderLine.objects.for_tenant(tenant).bulk_update([by_id[pk] for pk in chosen], ["quantity_returned"])
        if restock and quantities:
            catalog_services.restock_stock(tenant=tenant, quantities=quantities)
        record = Return.objects.create(
            tenant=tenant,
            order=order,
            restocked=bool(restock),
            reason=(reason or "")[:500],
            created_by=acting_user(actor),
        )
        ReturnLine.objects.bulk_create(
            [ReturnLine(tenant=tenant, return_record=record, order_line_id=pk, quantity=q) for pk, q in chosen.items()]
        )
        everything_back = all(line.quantity_returned == line.quantity_fulfilled for line in all_lines)
        target = OrderStatus.RETURNED if everything_back else OrderStatus.PARTIALLY_RETURNED
        previous = order.status
        order.status = target
        order.save(update_fields=["status", "updated_at"])
        append_order_event(
            tenant=tenant,
            order=order,
            kind="returned" if everything_back else "partially_returned",
            actor=actor,
            data={
                "from": previous,
                "return_id": record.pk,
                "restocked": bool(restock),
                "reason": record.reason,
                "lines": [{"line_id": pk, "sku": by_id[pk].sku, "quantity": q} for pk, q in chosen.items()],
            },
        )
    return record


def add_order_note(*, tenant, order_id: int, body: str, actor=None) -> OrderNote:
    """A staff note on the order (1 to 5000 characters; never shown to the shopper), with an event."""
    text = (body or "").strip()
    if not text or len(text) > MAX_NOTE:
        raise Invalid({"body": [f"Write a note of 1 to {MAX_NOTE} characters."]})
    with transaction.atomic():
        order = lock_order(tenant, order_id)
        note = OrderNote.objects.create(tenant=tenant, order=order, author=acting_user(actor), body=text)
        append_order_event(tenant=tenant, order=order, kind="note_added", actor=actor, data={"note_id": note.pk})
    return note
