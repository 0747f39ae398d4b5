"""Writes of the invoices app: settings, issuing an invoice (number + row in one transaction),
rendering its PDF, and asking for either in the background (outbox)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.errors import Conflict, ErrorCode, Invalid, NotFound
from apps.core.outbox import enqueue_task
from apps.invoices import documents, numbering
from apps.invoices.models import Invoice, InvoiceSettings
from apps.invoices.selectors import get_invoice_settings
from apps.orders import selectors as order_selectors

# Payment statuses an order can be invoiced in (money was received, perhaps refunded since).
INVOICEABLE = ("paid", "partially_refunded", "refunded")
SETTINGS_LIMITS = {"legal_name": 200, "legal_address": 1000, "tax_id": 64}


def update_invoice_settings(*, tenant, data: dict) -> InvoiceSettings:
    """Save the seller's legal name, address, tax id and the "attach to the paid email" choice.

    Text over its length is :class:`Invalid` per field and nothing is saved.
    """
    values = {name: str(data.get(name, "") or "").strip() for name in SETTINGS_LIMITS}
    errors = {
        name: [f"At most {limit} characters."] for name, limit in SETTINGS_LIMITS.items() if len(values[name]) > limit
    }
    if errors:
        raise Invalid(errors)
    row = get_invoice_settings(tenant=tenant)
    for name, value in values.items():
        setattr(row, name, value)
    row.attach_to_paid_email = bool(data.get("attach_to_paid_email"))
    row.save()
    return row


def _seller_snapshot(tenant) -> dict:
    row = get_invoice_settings(tenant=tenant)
    return {
        "legal_name": row.legal_name or tenant.name,
        "legal_address": row.legal_address,
        "tax_id": row.tax_id,
    }


def issue_invoice(*, tenant, order_id: int, render: bool = True) -> Invoice:
    """The order's invoice, issued now if it has none: the next number of the year is taken from
    the locked counter in the same transaction as the invoice row. Then (outside that
    transaction, so no lock is held while WeasyPrint works) its PDF is rendered if missing.

    Idempotent: a second call returns the same invoice. :class:`NotFound` for another tenant's
    order; 409 ``invoice_not_available`` for an order that was never paid.
    """
    order = order_selectors.access_order(tenant=tenant, id=order_id)
    invoice = Invoice.objects.for_tenant(tenant).filter(order_id=order.pk).first()
    if invoice is None:
        if order.payment_status not in INVOICEABLE:
            raise Conflict("An order is invoiced once it is paid.", code=ErrorCode.INVOICE_NOT_AVAILABLE)
        invoice = _create_invoice(tenant=tenant, order=order)
    if render and not invoice.pdf:
        invoice = render_invoice(tenant=tenant, invoice_id=invoice.pk)
    return invoice


def _create_invoice(*, tenant, order) -> Invoice:
    year = timezone.now().year
    try:
        with transaction.atomic():
            counter = numbering.lock_counter(tenant=tenant, year=year)
            # Checked again under the lock: whoever waited on it sees the invoice just made.
            existing = Invoice.objects.for_tenant(tenant).filter(order_id=order.pk).first()
            if existing is not None:
                return existing
            sequence = numbering.take_next_number(counter)
            return Invoice.objects.create(
                tenant=tenant,
                order_id=order.pk,
                year=year,
                sequence=sequence,
                number=numbering.format_invoice_number(year, sequence),
                seller=_seller_snapshot(tenant),
            )
    except IntegrityError:  # the same order invoiced at once across a new year: one of them won
        existing = Invoice.objects.for_tenant(tenant).filter(order_id=order.pk).first()
        if existing is None:
            raise
        return existing


def render_invoice(*, tenant, invoice_id: int) -> Invoice:
    """(Re)make the invoice's PDF from its order as it is now (after an erasure: without the
    person's data) and its seller details as issued; the number never changes."""
    invoice = Invoice.objects.for_tenant(tenant).filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("No such invoice.")
    order = order_selectors.get_order_detail(tenant=tenant, order_id=invoice.order_id)
    pdf = documents.render_invoice_pdf(invoice=invoice, order=order, lines=order.line_list)
    invoice.pdf, invoice.rendered_at = pdf, timezone.now()
    Invoice.objects.for_tenant(tenant).filter(pk=invoice.pk).update(pdf=pdf, rendered_at=invoice.rendered_at)
    return invoice


def request_invoice(*, tenant, order_id: int) -> None:
    """Ask for the order's invoice in the background (a staff click); 409 if it was never paid."""
    order = order_selectors.access_order(tenant=tenant, id=order_id)
    if order.payment_status not in INVOICEABLE:
        raise Conflict("An order is invoiced once it is paid.", code=ErrorCode.INVOICE_NOT_AVAILABLE)
    with transaction.atomic():
        enqueue_task("invoices.issue_invoice", tenant_id=tenant.pk, order_id=order.pk)


def enqueue_rerender(*, tenant_id: int, order_ids: list[int]) -> int:
    """Queue a new PDF for each of those orders' invoices (call inside the changing transaction)."""
    ids = list(Invoice.objects.for_tenant(tenant_id).filter(order_id__in=order_ids).values_list("pk", flat=True))
    for invoice_id in ids:
        enqueue_task("invoices.render_invoice", tenant_id=tenant_id, invoice_id=invoice_id)
    return len(ids)
