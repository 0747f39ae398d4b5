"""The shopper's invoice download: ``/s/<tenant_slug>/orders/view/<token>/invoice.pdf``, opened by
the order's signed guest-link token (the link in the order emails, on the order page and in
"My orders"). A bad, expired or other shop's token, or no invoice yet, is a 404."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from apps.core.errors import NotFound
from apps.invoices import selectors
from apps.invoices.console_views import pdf_response
from apps.orders import selectors as order_selectors
from apps.tenants.access import get_public_tenant


@require_GET
def guest_pdf(request, tenant_slug: str, token: str):
    """The invoice PDF of the order the token opens."""
    try:
        tenant = get_public_tenant(slug=tenant_slug)
        order = order_selectors.access_order_by_guest_token(tenant=tenant, token=token)
        invoice, pdf = selectors.get_invoice_pdf(tenant=tenant, order_id=order.pk)
    except NotFound:
        raise Http404("Not found") from None
    return pdf_response(invoice, pdf)
