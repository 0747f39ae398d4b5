"""The console's customers: ``/a/<slug>/orders/customers/`` (one row per email: orders, total
spent, last order), a customer's page (``?email=``), their orders as JSON (GDPR access) and the
erasure of their data from the shop's orders (GDPR erasure: the orders stay, the person's data is
replaced; the staff member types the email to confirm). ``orders.view`` to see the list and the
page; ``orders.manage`` for the export and the erasure."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import Invalid, NotFound
from apps.orders import customers, privacy
from apps.tenants.access import tenant_view

PER_PAGE = 50


def _customer_or_404(tenant, email: str):
    try:
        return customers.get_customer(tenant=tenant, email=email)
    except NotFound:
        raise Http404("No such customer") from None


@require_GET
@tenant_view(permissions={"GET": "orders.view"})
def customer_list(request, tenant_slug: str):
    """Customers, most recent buyer first, 50 a page after the keyset ``after`` (a bad one is the
    first page); ``q`` is the start of an email. No total: counting every email of a large shop
    costs more than the page (docs/performance.md)."""
    q = request.GET.get("q", "")[:254]
    try:
        after = customers.decode_customer_cursor(request.GET["after"]) if request.GET.get("after") else None
    except Invalid:
        after = None
    rows = customers.list_customer_page(tenant=request.tenant, q=q, after=after, limit=PER_PAGE + 1)
    rows, more = rows[:PER_PAGE], len(rows) > PER_PAGE
    next_query = urlencode({"q": q, "after": customers.encode_customer_cursor(rows[-1])}) if more else ""
    context = {
        "tenant": request.tenant,
        "rows": rows,
        "q": q,
        "currency": request.tenant.currency,
        "next_query": next_query,
        "first_query": urlencode({"q": q}) if after else "",
    }
    return render(request, "orders/console/customers.html", context)


@require_GET
@tenant_view(permissions={"GET": "orders.view"})
def customer_detail(request, tenant_slug: str):
    """One email's orders and figures."""
    customer = _customer_or_404(request.tenant, request.GET.get("email", ""))
    context = {
        "tenant": request.tenant,
        "customer": customer,
        "query": urlencode({"email": customer.email}),
        "can_manage": request.tenant_access.can("orders.manage"),
    }
    return render(request, "orders/console/customer.html", context)


@require_GET
@tenant_view(permissions={"GET": "orders.manage"})
def customer_export(request, tenant_slug: str):
    """The customer's orders in this shop as a JSON download (a data-subject access request)."""
    customer = _customer_or_404(request.tenant, request.GET.get("email", ""))
    data = privacy.export_customer_orders(tenant=request.tenant, email=customer.email)
    response = HttpResponse(json.dumps({"orders": data}, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="customer-orders-{request.tenant.slug}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@tenant_view(permissions={"POST": "orders.manage"})
def customer_erase(request, tenant_slug: str):
    """Replace the customer's data on this shop's orders (typed email must match)."""
    tenant = request.tenant
    email = request.POST.get("email", "").strip().lower()
    customer = _customer_or_404(tenant, email)
    if request.POST.get("confirm_email", "").strip().lower() != customer.email:
        messages.error(request, "Type the customer's email address to confirm the erasure.")
        return redirect(reverse("orders-console:customer", args=[tenant.slug]) + "?" + urlencode({"email": email}))
    count = privacy.anonymise_customer_orders(tenant=tenant, email=customer.email, actor=request.user)
    messages.success(request, f"The customer's data was erased from {count} order{'s' if count != 1 else ''}.")
    return redirect(reverse("orders-console:customers", args=[tenant.slug]))
