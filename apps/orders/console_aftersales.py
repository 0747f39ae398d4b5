"""The console's after-sales actions on ``/a/<tenant_slug>/orders/``: ship (whole or line by line,
with tracking), cancel the unshipped rest, refund, record a return, staff notes, and the list's bulk
actions (ship with one carrier, packing slips).

Who may do what (``apps.tenants.roles``): ``orders.fulfil`` (editor, admin, owner) ships, prints
packing slips and writes notes; ``orders.manage`` (admin, owner) cancels and records returns;
``orders.refund`` (admin, owner) refunds. Every write goes through a service; a refused action is
a message on the order page, and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core.errors import ApplicationError, NotFound
from apps.core.money import format_money
from apps.orders import selectors, services
from apps.tenants.access import tenant_view

FULFIL = {"POST": "orders.fulfil"}
MANAGE = {"POST": "orders.manage"}
REFUND = {"POST": "orders.refund"}


def _detail(tenant, number) -> str:
    return reverse("orders-console:detail", args=[tenant.slug, number])


def _order(request, number: int):
    try:
        return selectors.access_order(tenant=request.tenant, number=number)
    except NotFound:
        raise Http404("No such order") from None


def posted_lines(data, prefix: str = "qty-") -> dict:
    """``{line_id: quantity}`` from a form's ``qty-<line_id>`` inputs (the service validates them)."""
    return {key[len(prefix) :]: value for key, value in data.items() if key.startswith(prefix) and value.strip()}


def _run(request, number: int, action) -> str | None:
    """Run ``action(order)``; its message as a flash, or the error's. Redirect target."""
    order = _order(request, number)
    try:
        text = action(order)
    except NotFound:
        raise Http404("No such order") from None
    except ApplicationError as exc:
        details = exc.details or {}
        extra = "; ".join(str(m) for msgs in details.values() if isinstance(msgs, list) for m in msgs)
        messages.error(request, f"{exc.message} {extra}".strip() if extra and extra not in exc.message else exc.message)
    else:
        messages.success(request, text)
    return redirect(_detail(request.tenant, number))


@require_POST
@tenant_view(permissions=FULFIL)
def fulfil(request, tenant_slug: str, number: int):
    """Ship the lines' ``qty-<id>`` units (all open units when ``all=1``) with carrier and tracking."""
    data = request.POST

    def action(order):
        shipment = services.fulfil_order_lines(
            tenant=request.tenant,
            order_id=order.pk,
            lines=None if data.get("all") == "1" else posted_lines(data),
            carrier=data.get("carrier", ""),
            tracking_number=data.get("tracking_number", ""),
            tracking_url=data.get("tracking_url", ""),
            actor=request.user,
        )
        return f"Shipment {shipment.sequence} of order #{order.number} recorded; the shopper is emailed."

    return _run(request, number, action)


@require_POST
@tenant_view(permissions=MANAGE)
def cancel(request, tenant_slug: str, number: int):
    """Cancel what is not shipped yet (stock released, payment cancelled or refunded)."""

    def action(order):
        services.cancel_order(
            tenant=request.tenant, order_id=order.pk, actor=request.user, reason=request.POST.get("reason", "")
        )
        return f"Order #{order.number}: the unshipped part is cancelled and its stock released."

    return _run(request, number, action)


@require_POST
@tenant_view(permissions=REFUND)
def refund(request, tenant_slug: str, number: int):
    """Refund an ``amount``, or the ``qty-<id>`` units and/or the ``shipping``."""
    data = request.POST

    def action(order):
        outcome = services.refund_order(
            tenant=request.tenant,
            order_id=order.pk,
            amount=data.get("amount", "").strip() or None,
            lines=posted_lines(data),
            shipping=data.get("shipping") == "on",
            reason=data.get("reason", ""),
            actor=request.user,
            idempotency_key=data.get("idempotency_key", ""),
        )
        how = "recorded (pay it back by hand)" if outcome.manual else "sent to the card"
        return f"Refund of {format_money(outcome.amount, outcome.currency)} {how}."

    return _run(request, number, action)


@require_POST
@tenant_view(permissions=MANAGE)
def record_return(request, tenant_slug: str, number: int):
    """Record the ``ret-<id>`` units as returned, ``restock`` them, and ``refund`` them if asked
    (refunding needs ``orders.refund`` too)."""
    data = request.POST
    lines = posted_lines(data, prefix="ret-")

    def action(order):
        services.record_return(
            tenant=request.tenant,
            order_id=order.pk,
            lines=lines,
            restock=data.get("restock") == "on",
            reason=data.get("reason", ""),
            actor=request.user,
        )
        text = f"Return recorded on order #{order.number}."
        if data.get("refund") == "on":
            if not request.tenant_access.can("orders.refund"):
                return text + " Your role cannot refund: ask an admin."
            try:
                outcome = services.refund_order(
                    tenant=request.tenant, order_id=order.pk, lines=lines, reason="Returned", actor=request.user
                )
            except ApplicationError as exc:
                return text + f" The refund failed: {exc.message}"
            text += f" Refunded {format_money(outcome.amount, outcome.currency)}."
        return text

    return _run(request, number, action)


@require_POST
@tenant_view(permissions=FULFIL)
def add_note(request, tenant_slug: str, number: int):
    """A staff note on the order."""

    def action(order):
        services.add_order_note(
            tenant=request.tenant, order_id=order.pk, body=request.POST.get("body", ""), actor=request.user
        )
        return "Note added."

    return _run(request, number, action)


@require_POST
@tenant_view(permissions=FULFIL)
def bulk_action(request, tenant_slug: str):
    """The list's bulk actions on the ticked ``number`` boxes: ``action=fulfil`` (every open unit,
    one ``carrier``) or ``action=packing_slips`` (redirect to the printable page)."""
    tenant = request.tenant
    numbers = request.POST.getlist("number")
    back = reverse("orders-console:list", args=[tenant.slug])
    if request.POST.get("action") == "packing_slips":
        wanted = [n for n in numbers if n.isdecimal()][:200]
        if not wanted:
            messages.error(request, "Tick the orders to print.")
            return redirect(back)
        return redirect(reverse("orders-console:packing-slips", args=[tenant.slug]) + "?numbers=" + ",".join(wanted))
    if request.POST.get("action") != "fulfil":
        messages.error(request, "Choose an action.")
        return redirect(back)
    try:
        result = services.bulk_fulfil_orders(
            tenant=tenant, numbers=numbers, carrier=request.POST.get("carrier", ""), actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message if not exc.details else "; ".join(sum(exc.details.values(), [])))
        return redirect(back)
    if result.done:
        messages.success(request, f"Shipped: {', '.join(f'#{n}' for n in result.done)}.")
    for number, reason in result.failed.items():
        messages.error(request, f"#{number} not shipped: {reason}")
    return redirect(back)


@tenant_view(permissions={"GET": "orders.fulfil"})
def packing_slips(request, tenant_slug: str):
    """Printable packing slips (one page per order) for ``?numbers=1,2,3``."""
    numbers = (request.GET.get("numbers", "") or "").split(",")
    orders = selectors.list_packing_slips(tenant=request.tenant, numbers=numbers)
    return render(request, "orders/console/packing_slips.html", {"tenant": request.tenant, "orders": orders})
