"""The order emails: placed, paid, shipped, cancelled, refunded. Sent by the
``orders.send_order_email`` task (after commit, through the outbox), at most once per order and
kind, and for "shipped" and "refunded" once per shipment / refund (``ref``: its id)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from apps.core.idempotency import claim_message
from apps.core.money import format_money
from apps.orders import hooks
from apps.orders.models import Order
from apps.orders.selectors import make_guest_link_token

SUBJECTS = {
    "placed": "Your order #{number} at {shop}",
    "paid": "Payment received for order #{number} at {shop}",
    "shipped": "Order #{number} from {shop} is on its way",
    "cancelled": "Order #{number} at {shop} was cancelled",
    "refunded": "Refund for order #{number} at {shop}",
}
PER_REF = ("shipped", "refunded")


def order_link(order: Order) -> str:
    """The absolute guest link to the order (works without an account, signed)."""
    path = reverse(
        "orders-storefront:guest-order",
        kwargs={"tenant_slug": order.tenant.slug, "token": make_guest_link_token(order)},
    )
    return settings.SITE_URL.rstrip("/") + path


def _shipment(order: Order, ref: int | None) -> dict:
    """The "shipped" email's shipment: its lines, carrier and tracking link."""
    fulfilment = order.fulfilments.filter(pk=ref).prefetch_related("lines__order_line").first() if ref else None
    if fulfilment is None:
        return {}
    return {
        "fulfilment": fulfilment,
        "shipped_lines": [{"line": item.order_line, "quantity": item.quantity} for item in fulfilment.lines.all()],
    }


def _refund(order: Order, ref: int | None) -> dict:
    """The "refunded" email's refund, read from the order's event (orders never reads payments' tables)."""
    event = order.events.filter(kind="refunded", data__refund_id=ref).first() if ref else None
    if event is None:
        return {}
    return {
        "refund_amount": format_money(Decimal(str(event.data.get("amount", "0"))), order.currency),
        "refund": event.data,
    }


def send_order_email(*, tenant_id: int, order_id: int, kind: str, ref: int | None = None) -> bool:
    """Send the ``kind`` email of the order once (a redelivered task sends nothing); True if sent.
    ``ref``: the shipment ("shipped") or refund ("refunded") it is about."""
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown order email {kind!r}")
    order = Order.objects.for_tenant(tenant_id).select_related("tenant").filter(pk=order_id).first()
    if order is None:
        return False
    # Attachments (the invoice) are made before the claim: nothing stays locked while mailing.
    attachments = hooks.list_email_attachments(order, kind)
    with transaction.atomic():
        key = f"order-email:{order.pk}:{kind}" + (f":{ref}" if ref and kind in PER_REF else "")
        if not claim_message(key=key, task="orders.send_order_email"):
            return False
        lines = list(order.lines.order_by("id"))
        context = {
            "order": order,
            "shop": order.tenant,
            "kind": kind,
            "lines": [
                {
                    "line": line,
                    "total": format_money(line.total, order.currency),
                    "unit": format_money(line.unit_price, order.currency),
                }
                for line in lines
            ],
            "total": format_money(order.total, order.currency),
            "shipping": format_money(order.shipping_price, order.currency),
            "tax": format_money(order.tax_total, order.currency),
            "link": order_link(order),
            "payment_message": (order.payment_step or {}).get("message", ""),
            "cancelled_lines": [line for line in lines if line.quantity_cancelled],
            **(_shipment(order, ref) if kind == "shipped" else {}),
            **(_refund(order, ref) if kind == "refunded" else {}),
        }
        subject = SUBJECTS[kind].format(number=order.number, shop=order.tenant.name)
        body = render_to_string(f"orders/email/{kind}.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])
        for filename, content, mimetype in attachments:
            message.attach(filename, content, mimetype)
        message.send()
    return True
