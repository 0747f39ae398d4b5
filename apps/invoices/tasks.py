"""Celery tasks of the invoices app: ids in, idempotent, safe to retry."""

from __future__ import annotations

from celery import shared_task

from apps.core.errors import NotFound
from apps.core.tasks import TRANSIENT_ERRORS
from apps.invoices import selectors, services
from apps.orders.selectors import access_order


@shared_task(name="invoices.issue_invoice", autoretry_for=TRANSIENT_ERRORS)
def issue_invoice_task(*, tenant_id: int, order_id: int) -> str:
    """Issue (number) and render the order's invoice; returns its number ("" if the order is gone)."""

    try:
        tenant = access_order(tenant=tenant_id, id=order_id).tenant
    except NotFound:
        return ""
    return services.issue_invoice(tenant=tenant, order_id=order_id).number


@shared_task(name="invoices.render_invoice", autoretry_for=TRANSIENT_ERRORS)
def render_invoice_task(*, tenant_id: int, invoice_id: int) -> str:
    """Make the invoice's PDF again from its order as it is now ("" if the invoice is gone)."""

    invoice = selectors.find_invoice(tenant=tenant_id, invoice_id=invoice_id)
    if invoice is None:
        return ""
    return services.render_invoice(tenant=invoice.tenant, invoice_id=invoice.pk).number
