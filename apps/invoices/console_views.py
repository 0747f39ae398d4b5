"""The invoices console, ``/a/<tenant_slug>/invoices/``: the seller's invoice settings, an
order's PDF and "Make invoice". ``orders.view`` to see, ``orders.manage`` to change."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import ApplicationError, NotFound
from apps.invoices import selectors, services
from apps.orders import selectors as order_selectors
from apps.tenants.access import tenant_view


def pdf_response(invoice, pdf: bytes) -> HttpResponse:
    """The PDF as a download named after the invoice number, never cached by proxies."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="invoice-{invoice.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _order_or_404(tenant, number: int):
    try:
        return order_selectors.access_order(tenant=tenant, number=number)
    except NotFound:
        raise Http404("No such order") from None


@tenant_view(permissions={"GET": "orders.view", "POST": "orders.manage"})
def invoice_settings(request, tenant_slug: str):
    """Legal name, address, tax id, and whether the paid email carries the invoice."""
    tenant = request.tenant
    errors: dict = {}
    if request.method == "POST":
        try:
            services.update_invoice_settings(tenant=tenant, data=request.POST)
            messages.success(request, "Saved.")
            return redirect(reverse("invoices-console:settings", args=[tenant.slug]))
        except ApplicationError as exc:
            errors = exc.details or {"non_field_errors": [exc.message]}
    context = {
        "tenant": tenant,
        "settings_row": selectors.get_invoice_settings(tenant=tenant),
        "posted": request.POST if request.method == "POST" else None,
        "errors": errors,
        "can_manage": request.tenant_access.can("orders.manage"),
    }
    return render(request, "invoices/console/settings.html", context, status=400 if errors else 200)


@require_GET
@tenant_view(permissions={"GET": "orders.view"})
def order_pdf(request, tenant_slug: str, number: int):
    """The order's invoice PDF (404 while there is none)."""
    order = _order_or_404(request.tenant, number)
    try:
        invoice, pdf = selectors.get_invoice_pdf(tenant=request.tenant, order_id=order.pk)
    except NotFound:
        raise Http404("No invoice yet") from None
    return pdf_response(invoice, pdf)


@require_POST
@tenant_view(permissions={"POST": "orders.manage"})
def order_request(request, tenant_slug: str, number: int):
    """Make the order's invoice in the background."""
    order = _order_or_404(request.tenant, number)
    try:
        services.request_invoice(tenant=request.tenant, order_id=order.pk)
        messages.success(request, "The invoice is being made.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("orders-console:detail", args=[request.tenant.slug, order.number]))
