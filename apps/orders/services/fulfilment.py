"""Shipping an order, whole or line by line: each shipment is a :class:`Fulfilment` with its
carrier and tracking number; its units' allocations become stock decrements exactly once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from apps.catalog import services as catalog_services
from apps.core.errors import ApplicationError, Conflict, ErrorCode, Invalid
from apps.core.outbox import enqueue_task
from apps.orders.carriers import CARRIERS
from apps.orders.models import Fulfilment, FulfilmentLine, Order, OrderLine, OrderStatus
from apps.orders.services.line_quantities import parse_line_quantities
from apps.orders.services.status import acting_user, append_order_event, lock_order
from apps.orders.transitions import can_move_order

MAX_TRACKING = 100
TRACKING_RE = re.compile(r"^[A-Za-z0-9 \-_/.]*$")  # what carriers print; the API schema says the same
URL_RE = re.compile(r"^https://\S+$")
MAX_BULK = 200


def clean_shipment(*, carrier: str = "", tracking_number: str = "", tracking_url: str = "") -> dict:
    """The carrier, tracking number and link as stored; :class:`Invalid` per field."""
    carrier, number, url = carrier or "", tracking_number or "", tracking_url or ""
    errors = {}
    if carrier and carrier not in CARRIERS:
        errors["carrier"] = [f"Choose one of: {', '.join(CARRIERS)}."]
    if len(number) > MAX_TRACKING or not TRACKING_RE.fullmatch(number):
        errors["tracking_number"] = [f"Up to {MAX_TRACKING} letters, digits, spaces and - _ / . only."]
    if url and (not URL_RE.fullmatch(url) or len(url) > 500):
        errors["tracking_url"] = ["Paste the carrier's https:// tracking link (up to 500 characters)."]
    number = " ".join(number.split())
    if number and not carrier:
        errors["carrier"] = ["Choose the carrier of this tracking number."]
    if errors:
        raise Invalid(errors)
    return {"carrier": carrier, "tracking_number": number, "tracking_url": url}


def fulfil_order_lines(
    *,
    tenant,
    order_id: int,
    lines=None,
    carrier: str = "",
    tracking_number: str = "",
    tracking_url: str = "",
    actor=None,
) -> Fulfilment:
    """Ship ``lines`` (``[{"line_id", "quantity"}]``; None = every unit still to ship) as one
    shipment. The order row is locked, the quantities checked against what is still open (a unit
    is never shipped twice: the lock, plus ``CHECK quantity_fulfilled <= quantity``), the variants'
    ``stock`` and ``allocated`` both drop by the units, the order moves to partially fulfilled or
    fulfilled through the transitions table, an event is appended and the "shipped" email (listing
    this shipment) is enqueued. 409 ``invalid_transition`` for an order that cannot ship (unconfirmed,
    cancelled, fulfilled); 400 for bad lines or tracking.
    """
    shipment = clean_shipment(carrier=carrier, tracking_number=tracking_number, tracking_url=tracking_url)
    with transaction.atomic():
        order = lock_order(tenant, order_id)
        all_lines = list(order.lines.order_by("id"))
        if not can_move_order(order.status, OrderStatus.FULFILLED) or not any(line.quantity_open for line in all_lines):
            raise Conflict(
                f"A {order.get_status_display().lower()} order cannot be shipped.", code=ErrorCode.INVALID_TRANSITION
            )
        by_id = {line.pk: line for line in all_lines}
        if lines is None:
            chosen = {line.pk: line.quantity_open for line in all_lines if line.quantity_open}
        else:
            chosen = parse_line_quantities(
                lines, lines=by_id, limit=lambda line: line.quantity_open, limit_text="can still be shipped"
            )
        quantities: dict[int, int] = {}
        for line_id, units in chosen.items():
            line = by_id[line_id]
            if line.variant_id:
                quantities[line.variant_id] = quantities.get(line.variant_id, 0) + units
            line.quantity_fulfilled += units
        catalog_services.fulfil_stock(tenant=tenant, quantities=quantities)
        OrderLine.objects.for_tenant(tenant).bulk_update([by_id[pk] for pk in chosen], ["quantity_fulfilled"])
        sequence = (order.fulfilments.aggregate(last=Max("sequence"))["last"] or 0) + 1
        fulfilment = Fulfilment.objects.create(
            tenant=tenant, order=order, sequence=sequence, created_by=acting_user(actor), **shipment
        )
        FulfilmentLine.objects.bulk_create(
            [
                FulfilmentLine(tenant=tenant, fulfilment=fulfilment, order_line_id=pk, quantity=units)
                for pk, units in chosen.items()
            ]
        )
        remaining = sum(line.quantity_open for line in all_lines)
        target = OrderStatus.PARTIALLY_FULFILLED if remaining else OrderStatus.FULFILLED
        if not can_move_order(order.status, target):
            raise Conflict(
                f"A {order.get_status_display().lower()} order cannot be shipped.", code=ErrorCode.INVALID_TRANSITION
            )
        previous = order.status
        order.status = target
        order.allocations_released = not remaining
        order.save(update_fields=["status", "allocations_released", "updated_at"])
        append_order_event(
            tenant=tenant,
            order=order,
            kind="fulfilled" if not remaining else "partially_fulfilled",
            actor=actor,
            data={
                "from": previous,
                "fulfilment": sequence,
                "carrier": shipment["carrier"],
                "tracking": shipment["tracking_number"],
                "lines": [{"line_id": pk, "sku": by_id[pk].sku, "quantity": units} for pk, units in chosen.items()],
            },
        )
        enqueue_task(
            "orders.send_order_email", tenant_id=tenant.pk, order_id=order.pk, kind="shipped", ref=fulfilment.pk
        )
    return fulfilment


def fulfil_order(*, tenant, order_id: int, actor=None, tracking: str = "", carrier: str = "") -> Order:
    """Ship every unit still to ship in one shipment (see :func:`fulfil_order_lines`); the order."""
    fulfilment = fulfil_order_lines(
        tenant=tenant,
        order_id=order_id,
        carrier=carrier or ("other" if tracking else ""),
        tracking_number=tracking,
        actor=actor,
    )
    return Order.objects.for_tenant(tenant).get(pk=fulfilment.order_id)


@dataclass
class BulkResult:
    """Which orders a bulk action changed, and why the others were left alone (number -> message)."""

    done: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def bulk_fulfil_orders(*, tenant, numbers, carrier: str = "", actor=None) -> BulkResult:
    """Ship every open unit of each order ``numbers`` (at most 200) with one carrier, each order in
    its own transaction: one that cannot ship is reported in ``failed`` and the rest still ship."""
    clean_shipment(carrier=carrier)
    wanted = sorted({int(n) for n in numbers if str(n).isdecimal()})[:MAX_BULK]
    if not wanted:
        raise Invalid({"numbers": ["Choose at least one order."]})
    ids = dict(Order.objects.for_tenant(tenant).filter(number__in=wanted).values_list("number", "pk"))
    result = BulkResult()
    for number in wanted:
        if number not in ids:
            result.failed[number] = "No such order."
            continue
        try:
            fulfil_order_lines(tenant=tenant, order_id=ids[number], carrier=carrier, actor=actor)
        except ApplicationError as exc:
            result.failed[number] = exc.message
        else:
            result.done.append(number)
    return result
