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


def _form_page(request, *, form_class, obj, save, delete, initial, template, label, extra=None):
    """A create/edit page: GET shows the form (``initial``), POST saves through ``save(data)`` or,
    with ``delete``, deletes; a service's field errors go back on the form (400)."""
    tenant = request.tenant
    choices = _category_choices(tenant)
    if request.method == "POST" and obj is not None and request.POST.get("delete"):
        delete()
        messages.success(request, f"{label} deleted.")
        return redirect(_list_url(tenant))
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, category_choices=choices)
        try:
            saved = save(form_data(form, request.POST))
            messages.success(request, f"{label.split(' ')[0]} {saved} saved.")
            return redirect(_list_url(tenant))
        except ApplicationError as exc:
            add_service_errors(form, exc.details or {"__all__": [exc.message]})
            status = 400
    else:
        form = form_class(initial=initial, category_choices=choices)
    return render(request, template, {"tenant": tenant, "form": form, **(extra or {})}, status=status)


def _voucher_page(request, voucher=None):
    tenant = request.tenant

    def save(data):
        if voucher is None:
            return services.create_voucher(tenant=tenant, data=data)
        return services.update_voucher(tenant=tenant, voucher=voucher, data=data)

    uses = selectors.count_redemptions(tenant=tenant, voucher=voucher) if voucher else 0
    return _form_page(
        request,
        form_class=VoucherForm,
        obj=voucher,
        save=save,
        delete=lambda: services.delete_voucher(tenant=tenant, voucher=voucher),
        initial=_voucher_initial(tenant, voucher) if voucher else {"is_active": True},
        template="promotions/console/voucher_form.html",
        label=f"Voucher {voucher.code} (deactivated if it was used)" if voucher else "Voucher",
        extra={"voucher": voucher, "uses": uses},
    )


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


def _sale_initial(tenant, sale) -> dict:
    return {
        "name": sale.name,
        "percentage": sale.percentage,
        "category": str(sale.category_id or ""),
        "products": " ".join(str(p.pk) for p in sale.products.all()),
        "starts_at": _local(tenant, sale.starts_at),
        "ends_at": _local(tenant, sale.ends_at),
        "is_active": sale.is_active,
    }


def _sale_page(request, sale=None):
    tenant = request.tenant

    def save(data):
        if sale is None:
            return services.create_sale(tenant=tenant, data=data)
        return services.update_sale(tenant=tenant, sale=sale, data=data)

    return _form_page(
        request,
        form_class=SaleForm,
        obj=sale,
        save=save,
        delete=lambda: services.delete_sale(tenant=tenant, sale=sale),
        initial=_sale_initial(tenant, sale) if sale else {"is_active": True},
        template="promotions/console/sale_form.html",
        label=f"Sale {sale.name}" if sale else "Sale",
        extra={"sale": sale},
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
