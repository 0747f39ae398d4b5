"""Refunds, orders' side: *what* to give back (an amount, lines, the shipping), checked against
the order; *how* is payments' (``hooks.PaymentActions.refund``: Stripe, or a manual record).
Orders also records a refund that happened (event, "refunded" email) when payments reports it."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.core.errors import Invalid
from apps.core.money import round_money
from apps.core.outbox import enqueue_task
from apps.orders import hooks
from apps.orders.models import Order
from apps.orders.pricing import shipping_payable, units_payable
from apps.orders.selectors import access_order
from apps.orders.services.line_quantities import parse_line_quantities
from apps.orders.services.status import append_order_event, lock_order

MAX_AMOUNT = Decimal("9999999999.99")


AMOUNT_RE = re.compile(r"^\d{1,10}(?:\.\d{1,2})?$")  # plain decimal text: no sign, exponent or NaN


def _amount(value) -> Decimal:
    text = str(value)
    if not AMOUNT_RE.fullmatch(text) or Decimal(text) <= 0 or Decimal(text) > MAX_AMOUNT:
        raise Invalid({"amount": ["Enter an amount above 0 with at most two decimals, such as 12.50."]})
    return Decimal(text)


def quote_refund(*, order: Order, amount=None, lines=None, shipping: bool = False) -> hooks.RefundRequest:
    """The refund asked for, priced: ``amount`` as given, or the ``lines``' units (their share of
    what was paid, tax included) plus the shipping when ``shipping``. Never both amount and lines."""
    if amount not in (None, "") and (lines or shipping):
        raise Invalid({"amount": ["Give an amount, or lines and shipping, not both."]})
    if amount not in (None, ""):
        return hooks.RefundRequest(order_id=order.pk, amount=_amount(amount))
    priced, total = [], Decimal("0.00")
    if lines:
        by_id = {line.pk: line for line in order.lines.order_by("id")}
        chosen = parse_line_quantities(lines, lines=by_id, limit=lambda line: line.quantity, limit_text="were ordered")
        for line_id, units in chosen.items():
            share = units_payable(order, by_id[line_id], units)
            priced.append({"line_id": line_id, "sku": by_id[line_id].sku, "quantity": units, "amount": str(share)})
            total += share
    shipping_amount = shipping_payable(order) if shipping else Decimal("0.00")
    total += shipping_amount
    if total <= 0:
        raise Invalid({"amount": ["Choose an amount, some lines or the shipping to refund."]})
    return hooks.RefundRequest(order_id=order.pk, amount=total, lines=priced, shipping=shipping_amount)


def refund_order(
    *,
    tenant,
    order_id: int,
    amount=None,
    lines=None,
    shipping: bool = False,
    reason: str = "",
    actor=None,
    idempotency_key: str = "",
) -> hooks.RefundOutcome:
    """Give back ``amount`` (or the ``lines``' units and/or the shipping) of the order through its
    payment. Runs outside any transaction: payments reserves the amount under the payment's row
    lock, calls the provider (Stripe with an idempotency key; bank transfer / COD: a manual record)
    and reports back (:func:`record_refund`). 400 bad input, 409 ``not_refundable`` (nothing
    collected) or ``refund_exceeds_charge`` (``details.refundable``), 502 ``provider_error``.
    """
    order = access_order(tenant=tenant, id=order_id)
    request = quote_refund(order=order, amount=amount, lines=lines, shipping=shipping)
    request = hooks.RefundRequest(
        order_id=order.pk,
        amount=request.amount,
        lines=request.lines,
        shipping=request.shipping,
        reason=(reason or "")[:500],
        idempotency_key=(idempotency_key or "")[:100],
        actor=actor,
    )
    return hooks.get_payment_actions().refund(tenant=tenant, request=request)


def record_refund(
    *, tenant, order_id: int, refund_id: int, amount: Decimal, currency: str, manual: bool, actor=None, data=None
) -> None:
    """Payments reports a refund that succeeded: an order event and the "refunded" email (once per
    refund). Called inside payments' transaction; the order row is locked like every status write."""
    with transaction.atomic():
        order = lock_order(tenant, order_id)
        append_order_event(
            tenant=tenant,
            order=order,
            kind="refunded",
            actor=actor,
            actor_label="" if actor else "system",
            data={
                "refund_id": refund_id,
                "amount": str(amount),
                "currency": currency,
                "manual": manual,
                **(data or {}),
            },
        )
        enqueue_task("orders.send_order_email", tenant_id=tenant.pk, order_id=order.pk, kind="refunded", ref=refund_id)
        hooks.send_order_refunded(
            hooks.OrderRefund(
                tenant_id=tenant.pk,
                order_id=order.pk,
                refund_id=str(refund_id),
                amount=round_money(amount),
                refunded_at=timezone.now(),
            )
        )
