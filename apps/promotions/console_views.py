"""The staff console ``/a/<tenant_slug>/promotions/``: vouchers and sales, listed, created,
edited and deleted. ``promotions.view`` to see (every role), ``promotions.manage`` to change
(owner, admin, editor). Every write goes through a service; its field errors go back on the form."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.catalog import selectors as catalog_selectors
from apps.core.errors import ApplicationError, NotFound
from apps.promotions import selectors, services
from apps.promotions.forms import SaleForm, VoucherForm, add_service_errors, form_data
from apps.tenants.access import tenant_view

VIEW = {"GET": "promotions.view"}
MANAGE = {"GET": "promotions.manage", "POST": "promotions.manage"}
PER_PAGE = 100


def _list_url(tenant) -> str:
    return reverse("promotions-console:list", args=[tenant.slug])


def _category_choices(tenant) -> list[tuple[str, str]]:
    return [(str(n["id"]), "— " * n["depth"] + n["name"]) for n in catalog_selectors.get_category_tree(tenant=tenant)]


def _local(tenant, moment) -> str:
    if moment is None:
        return ""
    try:
        zone = zoneinfo.ZoneInfo(tenant.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localtime(moment, zone).strftime("%Y-%m-%dT%H:%M")


@tenant_view(permissions=VIEW)
def promotion_list(request, tenant_slug: str):
    """The shop's vouchers (with uses) and sales (with their state now)."""
    tenant = request.tenant
    context = {
        "tenant": tenant,
        "vouchers": list(selectors.list_vouchers(tenant=tenant)[:PER_PAGE]),
        "sales": list(selectors.list_sales(tenant=tenant)[:PER_PAGE]),
        "now": timezone.now(),
    }
    return render(request, "promotions/console/list.html", context)


def _voucher_initial(tenant, voucher) -> dict:
    return {
        "code": voucher.code,
        "description": voucher.description,
        "kind": voucher.kind,
        "value": voucher.value,
        "min_subtotal": voucher.min_subtotal or "",
        "starts_at": _local(tenant, voucher.starts_at),
        "ends_at": _local(tenant, voucher.ends_at),
        "usage_limit": voucher.usage_limit or "",
        "once_per_customer": voucher.once_per_customer,
        "is_active": voucher.is_active,
        "products": " ".join(str(p.pk) for p in voucher.products.all()),
        "categories": [str(c.pk) for c in voucher.categories.all()],
    }


def _voucher_page(request, voucher=None):
    tenant = request.tenant
    choices = _category_choices(tenant)
    if request.method == "POST" and voucher is not None and request.POST.get("delete"):
        services.delete_voucher(tenant=tenant, voucher=voucher)
        messages.success(request, f"Voucher {voucher.code} deleted (deactivated if it was used).")
        return redirect(_list_url(tenant))
    if request.method == "POST":
        form = VoucherForm(request.POST, category_choices=choices)
        try:
            data = form_data(form, request.POST)
            if voucher is None:
                saved = services.create_voucher(tenant=tenant, data=data)
            else:
                saved = services.update_voucher(tenant=tenant, voucher=voucher, data=data)
            messages.success(request, f"Voucher {saved.code} saved.")
            return redirect(_list_url(tenant))
        except ApplicationError as exc:
            add_service_errors(form, exc.details or {"__all__": [exc.message]})
            status = 400
    else:
        initial = _voucher_initial(tenant, voucher) if voucher else {"is_active": True}
        form, status = VoucherForm(initial=initial, category_choices=choices), 200
    uses = selectors.count_redemptions(tenant=tenant, voucher=voucher) if voucher else 0
    context = {"tenant": tenant, "form": form, "voucher": voucher, "uses": uses}
    return render(request, "promotions/console/voucher_form.html", context, status=status)


@tenant_view(permissions=MANAGE)
def voucher_create(request, tenant_slug: str):
    """A new voucher."""
    return _voucher_page(request)


@tenant_view(permissions=MANAGE)
def voucher_edit(request, tenant_slug: str, voucher_id: int):
    """Edit or delete a voucher."""
    try:
        voucher = selectors.get_voucher(tenant=request.tenant, voucher_id=voucher_id)
    except NotFound:
        raise Http404("No such voucher") from None
    return _voucher_page(request, voucher)


def _sale_page(request, sale=None):
    tenant = request.tenant
    choices = _category_choices(tenant)
    if request.method == "POST" and sale is not None and request.POST.get("delete"):
        services.delete_sale(tenant=tenant, sale=sale)
        messages.success(request, f"Sale {sale.name} deleted.")
        return redirect(_list_url(tenant))
    if request.method == "POST":
        form = SaleForm(request.POST, category_choices=choices)
        try:
            data = form_data(form, request.POST)
            saved = (
                services.create_sale(tenant=tenant, data=data)
                if sale is None
                else services.update_sale(tenant=tenant, sale=sale, data=data)
            )
            messages.success(request, f"Sale {saved.name} saved.")
            return redirect(_list_url(tenant))
        except ApplicationError as exc:
            add_service_errors(form, exc.details or {"__all__": [exc.message]})
            status = 400
    else:
        initial = {"is_active": True}
        if sale is not None:
            initial = {
                "name": sale.name,
                "percentage": sale.percentage,
                "category": str(sale.category_id or ""),
                "products": " ".join(str(p.pk) for p in sale.products.all()),
                "starts_at": _local(tenant, sale.starts_at),
                "ends_at": _local(tenant, sale.ends_at),
                "is_active": sale.is_active,
            }
        form, status = SaleForm(initial=initial, category_choices=choices), 200
    return render(
        request, "promotions/console/sale_form.html", {"tenant": tenant, "form": form, "sale": sale}, status=status
    )


@tenant_view(permissions=MANAGE)
def sale_create(request, tenant_slug: str):
    """A new sale."""
    return _sale_page(request)


@tenant_view(permissions=MANAGE)
def sale_edit(request, tenant_slug: str, sale_id: int):
    """Edit or delete a sale."""
    try:
        sale = selectors.get_sale(tenant=request.tenant, sale_id=sale_id)
    except NotFound:
        raise Http404("No such sale") from None
    return _sale_page(request, sale)
