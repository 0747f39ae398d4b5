"""Reads of the invoices app. Every function takes the tenant explicitly."""

from __future__ import annotations

from apps.core.errors import NotFound
from apps.invoices.models import Invoice, InvoiceSettings
from apps.orders.selectors import access_order


def get_invoice_settings(*, tenant) -> InvoiceSettings:
    """The tenant's invoice settings (an unsaved row with the defaults if never saved)."""
    return InvoiceSettings.objects.for_tenant(tenant).first() or InvoiceSettings(tenant=tenant)


def find_order_invoice(*, tenant, order_id: int) -> Invoice | None:
    """The order's invoice (without its PDF bytes), or None."""
    return Invoice.objects.for_tenant(tenant).filter(order_id=order_id).defer("pdf").first()


def get_invoice_pdf(*, tenant, order_id: int) -> tuple[Invoice, bytes]:
    """The order's invoice and its PDF; :class:`NotFound` if it has none (yet)."""
    invoice = Invoice.objects.for_tenant(tenant).filter(order_id=order_id).first()
    if invoice is None or not invoice.pdf:
        raise NotFound("This order has no invoice yet.")
    return invoice, bytes(invoice.pdf)


def list_rendered_invoice_numbers(*, tenant, order_ids) -> dict[int, str]:
    """Order id -> invoice number for those of ``order_ids`` whose PDF is made (one query)."""
    return dict(
        Invoice.objects.for_tenant(tenant)
        .filter(order_id__in=list(order_ids), rendered_at__isnull=False)
        .values_list("order_id", "number")
    )


def find_invoice(*, tenant, invoice_id: int) -> Invoice | None:
    """An invoice by id with its tenant (``tenant`` may be an id: tasks), or None."""
    return Invoice.objects.for_tenant(tenant).select_related("tenant").defer("pdf").filter(pk=invoice_id).first()


def list_order_invoices(*, tenant, number: int) -> tuple[object, list[Invoice]]:
    """The tenant's order ``number`` and its invoices (none or one, without the PDF bytes);
    :class:`NotFound` for another tenant's or an unknown order."""
    order = access_order(tenant=tenant, number=number)
    invoice = find_order_invoice(tenant=tenant, order_id=order.pk)
    return order, [invoice] if invoice is not None else []


def access_order_invoice_pdf(*, tenant, number: int, invoice_id: int) -> tuple[Invoice, bytes]:
    """The PDF of invoice ``invoice_id`` of the tenant's order ``number``; :class:`NotFound` when
    the order is not the tenant's, the invoice is not that order's, or its PDF is not made yet."""
    order = access_order(tenant=tenant, number=number)
    invoice, pdf = get_invoice_pdf(tenant=tenant, order_id=order.pk)
    if invoice.pk != invoice_id:
        raise NotFound("No such invoice.")
    return invoice, pdf
