"""How invoices plugs into orders (``apps.orders.hooks``); orders never imports this app.

- payment becomes "paid": the invoice is issued in the background (outbox task, same transaction);
- the "paid" email carries the PDF when the shop chose so (made there and then if the task has
  not run yet: whichever comes first takes the number, the other finds it);
- the console order page shows the invoice (download, or "Make invoice" for staff who manage);
- the shopper's order page and "My orders" link to the PDF (signed guest-link token);
- a person's data replaced on orders (GDPR): their invoices are rendered again without it.
"""

from __future__ import annotations

import logging

from django.urls import reverse

from apps.core.errors import ApplicationError
from apps.core.outbox import enqueue_task
from apps.invoices import selectors, services
from apps.orders import hooks

logger = logging.getLogger("bazaar.invoices")


def on_payment_status(tenant, order, previous: str, status: str) -> None:
    """Issue the invoice once the order is paid."""
    if status == "paid" and previous not in services.INVOICEABLE:
        enqueue_task("invoices.issue_invoice", tenant_id=tenant.pk, order_id=order.pk)


def paid_email_attachments(order, kind: str) -> list[tuple[str, bytes, str]]:
    """The invoice PDF for the "paid" email of a shop that attaches it."""
    if kind != "paid" or not selectors.get_invoice_settings(tenant=order.tenant).attach_to_paid_email:
        return []
    try:
        invoice = services.issue_invoice(tenant=order.tenant, order_id=order.pk)
    except ApplicationError:
        return []
    except Exception:  # noqa: BLE001 - the email still goes; staff can make the PDF again
        logger.exception("invoice for the paid email failed", extra={"order_id": order.pk})
        return []
    return [(f"invoice-{invoice.number}.pdf", bytes(invoice.pdf), "application/pdf")]


def order_invoice_section(request, order) -> dict:
    """The console order page's invoice box."""
    invoice = selectors.find_order_invoice(tenant=order.tenant_id, order_id=order.pk)
    return {
        "template": "invoices/console/_order_section.html",
        "context": {
            "invoice": invoice,
            "invoiceable": order.payment_status in services.INVOICEABLE,
            "can_manage_invoice": request.tenant_access.can("orders.manage"),
        },
    }


def shopper_invoice_links(orders, tokens: dict[int, str]) -> dict[int, list[dict]]:
    """A link to the PDF of each order whose invoice is rendered (one query for the page)."""
    if not orders:
        return {}
    tenant = orders[0].tenant
    numbers = selectors.list_rendered_invoice_numbers(tenant=tenant, order_ids=[order.pk for order in orders])
    return {
        order_id: [
            {
                "label": f"Invoice {number} (PDF)",
                "url": reverse(
                    "invoices-storefront:guest-pdf", kwargs={"tenant_slug": tenant.slug, "token": tokens[order_id]}
                ),
            }
        ]
        for order_id, number in numbers.items()
        if order_id in tokens
    }


def on_orders_anonymised(tenant_id: int, order_ids: list[int]) -> None:
    """Render the invoices of anonymised orders again (in the background)."""
    services.enqueue_rerender(tenant_id=tenant_id, order_ids=order_ids)


def register_all() -> None:
    """Called from ``InvoicesConfig.ready()``."""
    hooks.register_payment_listener(on_payment_status)
    hooks.register_email_attachments(paid_email_attachments)
    hooks.register_order_section(order_invoice_section)
    hooks.register_shopper_order_links(shopper_invoice_links)
    hooks.register_orders_anonymised(on_orders_anonymised)
