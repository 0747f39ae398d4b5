"""The staff console ``/a/<tenant_slug>/orders/``: the order list (search, filters, keyset
paging, bulk actions), an order's detail (lines, totals, address, shipments, notes, events,
sections other apps register) and the selling settings (shipping, tax, hold time). The
after-sales actions (ship, cancel, refund, return, notes, bulk) are in ``console_aftersales``.

``orders.view`` to see, ``orders.manage`` to change settings. Every write goes through a service.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime

from apps.core.errors import ApplicationError, NotFound
from apps.orders import hooks, selectors, services
from apps.orders.carriers import CARRIER_CHOICES
from apps.orders.models import OrderStatus, PaymentStatus
from apps.tenants.access import tenant_view

VIEW = {"GET": "orders.view"}
MANAGE = {"GET": "orders.view", "POST": "orders.manage"}
PER_PAGE = 50


def _url(name: str, tenant, *args) -> str:
    return reverse(f"orders-console:{name}", args=[tenant.slug, *args])


@tenant_view(permissions=VIEW)
def order_list(request, tenant_slug: str):
    """Orders newest first; ``q`` number or email, ``status``, ``payment_status``, dates; keyset
    paging with ``after=<created_at>_<id>`` (constant time at any depth)."""
    tenant = request.tenant
    params = request.GET
    status = params.get("status", "") if params.get("status", "") in OrderStatus.values else ""
    payment = params.get("payment_status", "") if params.get("payment_status", "") in PaymentStatus.values else ""
    qs = selectors.list_orders(
        tenant=tenant,
        q=params.get("q", "")[:254],
        status=status,
        payment_status=payment,
        date_from=_date(params.get("from")),
        date_to=_date(params.get("to")),
    )
    after = _parse_after(params.get("after", ""))
    if after:
        created_at, pk = after
        # "created_at <= x" is a range on the (tenant, -created_at, -id) index; the OR only
        # trims the rows of that one instant, so a page deep in 100,000 orders reads ~50 rows.
        qs = qs.filter(created_at__lte=created_at).filter(Q(created_at__lt=created_at) | Q(id__lt=pk))
    rows = list(
        qs.only("id", "number", "email", "status", "payment_status", "total", "currency", "created_at")[: PER_PAGE + 1]
    )
    next_after = ""
    if len(rows) > PER_PAGE:
        rows = rows[:PER_PAGE]
        next_after = f"{rows[-1].created_at.isoformat()}_{rows[-1].pk}"
    query = params.copy()
    query.pop("after", None)
    if next_after:
        query["after"] = next_after
    context = {
        "tenant": tenant,
        "orders": rows,
        "filters": {
            "q": params.get("q", ""),
            "status": status,
            "payment_status": payment,
            "from": params.get("from", ""),
            "to": params.get("to", ""),
        },
        "statuses": OrderStatus.choices,
        "payment_statuses": PaymentStatus.choices,
        "next_query": query.urlencode() if next_after else "",
        "first_page": not after,
        "can_fulfil": request.tenant_access.can("orders.fulfil"),
        "carriers": CARRIER_CHOICES,
    }
    return render(request, "orders/console/order_list.html", context)


def _date(value):
    """A YYYY-MM-DD filter value, or None for empty or malformed input (the filter is ignored)."""
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _parse_after(value: str):
    created, _, pk = (value or "").rpartition("_")
    try:
        moment = parse_datetime(created)
    except ValueError:
        return None
    if moment is None or not pk.isdecimal():
        return None
    return moment, int(pk)


@tenant_view(permissions=VIEW)
def order_detail(request, tenant_slug: str, number: int):
    """An order: lines, totals, address, its event log and the registered sections (payments)."""
    tenant = request.tenant
    try:
        order = selectors.access_order(tenant=tenant, number=number)
    except NotFound:
        raise Http404("No such order") from None
    order = selectors.get_order_detail(tenant=tenant, order_id=order.pk)
    context = {
        "tenant": tenant,
        "order": order,
        "sections": [
            render_to_string(
                section["template"], {"tenant": tenant, "order": order, **section.get("context", {})}, request
            )
            for section in hooks.render_order_sections(request, order)
        ],
        **aftersales_context(request, order),
    }
    return render(request, "orders/console/order_detail.html", context)


def aftersales_context(request, order) -> dict:
    """What the detail page may offer this member on this order (roles in ``console_aftersales``)."""
    access = request.tenant_access
    open_units = sum(line.quantity_open for line in order.line_list)
    try:
        refundable = hooks.get_payment_actions().refundable(tenant=request.tenant, order=order)
    except ApplicationError:
        refundable = 0
    return {
        "can_manage": access.can("orders.manage"),
        "can_fulfil": access.can("orders.fulfil")
        and open_units > 0
        and order.status in (OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED),
        "can_cancel": access.can("orders.manage")
        and open_units > 0
        and order.status in (OrderStatus.UNCONFIRMED, OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED),
        "can_return": access.can("orders.manage")
        and order.status in (OrderStatus.FULFILLED, OrderStatus.PARTIALLY_RETURNED)
        and any(line.quantity_returnable for line in order.line_list),
        "can_refund": access.can("orders.refund") and refundable > 0,
        "can_note": access.can("orders.fulfil"),
        "refundable": refundable,
        "carriers": CARRIER_CHOICES,
    }


@tenant_view(permissions=MANAGE)
def selling_settings(request, tenant_slug: str):
    """Hold time, tax mode and cart limits; shipping zones and methods; tax rates (one page, one
    form per thing, each posting ``form=<name>`` and redirecting back)."""
    tenant = request.tenant
    errors: dict = {}
    form = request.POST.get("form", "")
    if request.method == "POST":
        try:
            _apply_settings_form(tenant, form, request.POST)
            messages.success(request, "Saved.")
            return redirect(_url("settings", tenant))
        except NotFound:
            messages.error(request, "That item no longer exists.")
            return redirect(_url("settings", tenant))
        except ApplicationError as exc:
            errors = {form: exc.details or {"non_field_errors": [exc.message]}}
    context = {
        "tenant": tenant,
        "settings_row": selectors.get_selling_settings(tenant=tenant),
        "zones": list(selectors.list_shipping_zones(tenant=tenant)),
        "rates": list(selectors.list_tax_rates(tenant=tenant)),
        "errors": errors,
        "posted": request.POST if request.method == "POST" else {},
        "can_manage": request.tenant_access.can("orders.manage"),
    }
    return render(request, "orders/console/settings.html", context, status=400 if errors else 200)


def _apply_settings_form(tenant, form: str, data) -> None:
    if form == "selling":
        services.update_selling_settings(
            tenant=tenant,
            data={
                "prices_include_tax": data.get("prices_include_tax") == "on",
                **{
                    k: data.get(k, "")
                    for k in ("hold_minutes", "unpaid_order_expiry_minutes", "max_line_quantity", "max_cart_lines")
                },
            },
        )
    elif form == "zone":
        services.create_shipping_zone(
            tenant=tenant, name=data.get("name", ""), countries_value=data.get("countries", "")
        )
    elif form == "method":
        services.create_shipping_method(tenant=tenant, zone_id=_int(data.get("zone_id")), data=data.dict())
    elif form == "tax":
        services.set_tax_rate(
            tenant=tenant, country=data.get("country", ""), rate=data.get("rate", ""), name=data.get("name", "VAT")
        )
    elif form == "delete-zone":
        services.delete_shipping_zone(tenant=tenant, zone_id=_int(data.get("id")))
    elif form == "delete-method":
        services.delete_shipping_method(tenant=tenant, method_id=_int(data.get("id")))
    elif form == "delete-tax":
        services.delete_tax_rate(tenant=tenant, rate_id=_int(data.get("id")))
    else:
        raise ApplicationError("Unknown form.", code="bad_request")


def _int(value) -> int:
    text = str(value or "")
    if not text.isdecimal():
        raise NotFound("No such item.")
    return int(text)
