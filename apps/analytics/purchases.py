"""Server-side ``purchase`` and ``refund`` events: recorded when an order is placed or refunded,
never sent by a browser.

``AnalyticsConfig.ready`` registers :func:`on_order_placed` with orders' ``order_placed`` hook
(``apps.orders.hooks.register_order_placed_receiver``). It runs inside the placing transaction and
only writes an outbox row (``analytics.record_purchase``): the event is recorded for exactly the
orders that commit, and the row survives a broker outage. The task reads the committed order and
buffers one ``purchase`` event through the ingestion buffer (``buffer.push_batch``, then the drain,
the event store and the rollups, like every beacon event). Its ``event_id`` is derived from the
order and its time is the order's, so a retried or repeated task stores it once (the store's key).

The event belongs to no browser visit (visitor ``""``) and links no user. Its ``props``: ``order``
(number), ``revenue`` (decimal string), ``revenue_cents``, ``currency``, ``units``, ``voucher``
(when the order carries a ``voucher_code``) and ``items`` (``product_id``, ``ref`` = SKU,
``units``, ``revenue_cents`` per line).

Refunds come the same way from orders' ``order_refunded`` hook (the refunding service sends an
``OrderRefund``): :func:`on_order_refunded` writes the outbox row ``analytics.record_refund``,
whose event (``refund``, props ``order_id``, ``refund``, ``amount``, ``refund_cents``; id from the
refund) takes its amount off the revenue of the day it was made.

Cancellations come from orders' ``order_cancelled`` hook (one ``OrderCancellation`` per order):
:func:`on_order_cancelled` writes the outbox row ``analytics.record_cancellation``, whose event
(``cancellation``, id from the order: a retried task stores it once) takes off, on the day it was
made, what no refund gives back (``cancelled_cents``: the whole cancelled amount of an unpaid
order, 0 for a collected one, which payments refunds and so sends ``refund`` events), the
cancelled ``units`` and ``items`` (per product ``units`` and ``revenue_cents``, the lines' share as
placed) and, for a whole order (``whole``: nothing had shipped), the order itself and its voucher
use (``voucher``): a cancelled order is not a sale, paid or not. Props: ``order_id``, ``whole``,
``amount``, ``unrefunded``, ``cancelled_cents``, ``units``, ``items``, ``voucher``.
"""

from __future__ import annotations

import uuid

from django.utils import timezone

from apps.analytics import buffer, services
from apps.analytics.catalog_bridge import resolve_skus
from apps.analytics.cents import to_cents
from apps.analytics.event_store import EventRow
from apps.analytics.models import AnalyticsSettings, EventType
from apps.core.errors import NotFound
from apps.core.outbox import enqueue_task
from apps.orders.hooks import unrefunded_amount
from apps.orders.selectors import get_order_detail, list_orders

PURCHASE_NAMESPACE = uuid.UUID("6f1d3c52-93a4-4c1e-9d55-0e8f1f4b2a71")
SERVER_VISITOR = ""


def purchase_event_id(*, tenant_id: int, order_id: int) -> str:
    """The one event id of an order's purchase (a retry makes the same one)."""
    return str(uuid.uuid5(PURCHASE_NAMESPACE, f"purchase:{tenant_id}:{order_id}"))


def on_order_placed(order) -> None:
    """The ``order_placed`` receiver: schedule the purchase event in the placing transaction."""

    enqueue_task("analytics.record_purchase", tenant_id=order.tenant_id, order_id=order.pk)


def server_event(*, event_id: str, type_: EventType, occurred_at: str, props: dict) -> dict:
    """A server-side event in the buffered form: no page, referrer, product, query or results."""
    return {
        "event_id": event_id,
        "type": type_.value,
        "occurred_at": occurred_at,
        "url": "",
        "referrer": "",
        "product_ref": "",
        "query": "",
        "results_count": None,
        "props": props,
    }


def push_server_event(*, tenant_id: int, event: dict) -> str:
    """Buffer one server-side event (no visitor, no user); returns its event id."""
    context = {"visitor": SERVER_VISITOR, "user_id": None, "received_at": timezone.now().isoformat()}
    buffer.push_batch(tenant_id=tenant_id, events=[event], context=context)
    return event["event_id"]


def build_purchase_event(*, order, lines, product_ids: dict[str, int]) -> dict:
    """The buffered form of an order's purchase event (see the module docstring)."""
    items = [
        {
            "product_id": product_ids.get(line.sku),
            "ref": line.sku,
            "units": int(line.quantity),
            "revenue_cents": to_cents(line.total),
        }
        for line in lines
    ]
    props = {
        "order": order.number,
        "revenue": str(order.total),
        "revenue_cents": to_cents(order.total),
        "currency": order.currency,
        "units": sum(item["units"] for item in items),
        "items": items,
    }
    voucher = (getattr(order, "voucher_code", "") or "").strip()
    if voucher:
        props["voucher"] = voucher.upper()
    return server_event(
        event_id=purchase_event_id(tenant_id=order.tenant_id, order_id=order.pk),
        type_=EventType.PURCHASE,
        occurred_at=order.created_at.isoformat(),
        props=props,
    )


def record_purchase(*, tenant_id: int, order_id: int) -> str:
    """Buffer the purchase event of one committed order; returns its event id (idempotent)."""

    try:
        order = get_order_detail(tenant=tenant_id, order_id=order_id)
    except NotFound:  # erased with its tenant meanwhile: nothing to record
        return ""
    tenant = order.tenant
    services.get_or_create_settings(tenant=tenant)  # the drain keeps events of tenants with settings
    lines = order.line_list
    event = build_purchase_event(
        order=order, lines=lines, product_ids=resolve_skus(tenant=tenant, skus=[line.sku for line in lines])
    )
    return push_server_event(tenant_id=tenant.pk, event=event)


def on_order_refunded(refund) -> None:
    """The ``order_refunded`` receiver: schedule the refund event in the refunding transaction."""

    enqueue_task(
        "analytics.record_refund",
        tenant_id=refund.tenant_id,
        order_id=refund.order_id,
        refund_id=str(refund.refund_id),
        amount=str(refund.amount),
        refunded_at=refund.refunded_at.isoformat(),
    )


def record_refund(*, tenant_id: int, order_id: int, refund_id: str, amount: str, refunded_at: str) -> str:
    """Buffer the refund event of one refund; returns its event id (idempotent per refund)."""

    if not AnalyticsSettings.objects.for_tenant(tenant_id).exists():
        return ""  # no analytics for this shop (no order was ever recorded): nothing to take off
    event = server_event(
        event_id=str(uuid.uuid5(PURCHASE_NAMESPACE, f"refund:{tenant_id}:{refund_id}")),
        type_=EventType.REFUND,
        occurred_at=refunded_at,
        props={"order_id": order_id, "refund": refund_id, "amount": amount, "refund_cents": to_cents(amount)},
    )
    return push_server_event(tenant_id=tenant_id, event=event)


def cancellation_event_id(*, tenant_id: int, order_id: int) -> str:
    """The one event id of an order's cancellation (an order is cancelled at most once)."""
    return str(uuid.uuid5(PURCHASE_NAMESPACE, f"cancellation:{tenant_id}:{order_id}"))


def on_order_cancelled(cancellation) -> None:
    """The ``order_cancelled`` receiver: schedule the cancellation event in the cancelling transaction."""

    enqueue_task(
        "analytics.record_cancellation",
        tenant_id=cancellation.tenant_id,
        order_id=cancellation.order_id,
        whole=bool(cancellation.whole),
        amount=str(cancellation.amount),
        unrefunded=str(cancellation.unrefunded),
        lines=[
            {"sku": line["sku"], "quantity": int(line["quantity"]), "total": line["total"]}
            for line in cancellation.lines
        ],
        voucher_code=cancellation.voucher_code or "",
        cancelled_at=cancellation.cancelled_at.isoformat(),
    )


def build_cancellation_event(
    *,
    tenant_id: int,
    order_id: int,
    whole: bool,
    amount: str,
    unrefunded: str,
    lines: list,
    voucher_code: str,
    cancelled_at: str,
    product_ids: dict[str, int],
) -> dict:
    """The buffered form of an order's cancellation event (see the module docstring)."""
    items = [
        {
            "product_id": product_ids.get(line["sku"]),
            "ref": line["sku"],
            "units": int(line["quantity"]),
            "revenue_cents": to_cents(line["total"]),
        }
        for line in lines
    ]
    props = {
        "order_id": order_id,
        "whole": bool(whole),
        "amount": amount,
        "unrefunded": unrefunded,
        "cancelled_cents": to_cents(unrefunded),
        "units": sum(item["units"] for item in items),
        "items": items,
    }
    if whole and (voucher_code or "").strip():
        props["voucher"] = voucher_code.strip().upper()
    return server_event(
        event_id=cancellation_event_id(tenant_id=tenant_id, order_id=order_id),
        type_=EventType.CANCELLATION,
        occurred_at=cancelled_at,
        props=props,
    )


def record_cancellation(
    *,
    tenant_id: int,
    order_id: int,
    whole: bool,
    amount: str,
    unrefunded: str,
    lines: list,
    voucher_code: str,
    cancelled_at: str,
) -> str:
    """Buffer the cancellation event of one order; returns its event id (idempotent per order)."""

    found = AnalyticsSettings.objects.for_tenant(tenant_id).select_related("tenant").first()
    if found is None:
        return ""  # no analytics for this shop (no order was ever recorded): nothing to take off
    skus = [line["sku"] for line in lines]
    event = build_cancellation_event(
        tenant_id=tenant_id,
        order_id=order_id,
        whole=whole,
        amount=amount,
        unrefunded=unrefunded,
        lines=lines,
        voucher_code=voucher_code,
        cancelled_at=cancelled_at,
        product_ids=resolve_skus(tenant=found.tenant, skus=skus),
    )
    return push_server_event(tenant_id=tenant_id, event=event)


def order_purchase_rows(*, tenant, limit: int = 1000) -> list:
    """The purchase events of the shop's orders as store rows, and the cancellation event of each
    cancelled one (the demo loader writes them beside its synthetic traffic, so the dashboard's
    revenue includes the orders the console lists, less the ones it shows cancelled; a demo order
    is cancelled whole when placed, so its cancellation is dated with it)."""

    rows, now = [], timezone.now()
    for order_id in list_orders(tenant=tenant).values_list("id", flat=True)[:limit]:
        order = get_order_detail(tenant=tenant, order_id=order_id)
        lines = order.line_list
        skus = resolve_skus(tenant=tenant, skus=[line.sku for line in lines])
        event = build_purchase_event(order=order, lines=lines, product_ids=skus)
        rows.append(
            EventRow(
                tenant_id=tenant.pk,
                occurred_at=order.created_at,
                event_id=event["event_id"],
                received_at=now,
                type=event["type"],
                visitor=SERVER_VISITOR,
                props=event["props"],
            )
        )
        if order.status == "cancelled":
            cancelled = build_cancellation_event(
                tenant_id=tenant.pk,
                order_id=order.pk,
                whole=True,
                amount=str(order.total),
                unrefunded=str(unrefunded_amount(payment_status=order.payment_status, amount=order.total)),
                lines=[{"sku": line.sku, "quantity": line.quantity, "total": str(line.total)} for line in lines],
                voucher_code=order.voucher_code,
                cancelled_at=order.created_at.isoformat(),
                product_ids=skus,
            )
            rows.append(
                EventRow(
                    tenant_id=tenant.pk,
                    occurred_at=order.created_at,
                    event_id=cancelled["event_id"],
                    received_at=now,
                    type=cancelled["type"],
                    visitor=SERVER_VISITOR,
                    props=cancelled["props"],
                )
            )
    return rows
