"""The demo shop's invoice details (``apps.demo.loader``), set before its past orders are paid so
their invoices print them; the paid email carries the PDF. Idempotent."""

from __future__ import annotations

from apps.invoices import services

DEMO_SELLER = {
    "legal_name": "Demo Shop SARL",
    "legal_address": "1 Rue de la Paix\n75002 Paris\nFrance",
    "tax_id": "FR40123456789",
    "attach_to_paid_email": "on",
}


def load_demo_invoicing(*, tenant) -> None:
    """Set the demo's seller details and attach invoices to the paid email."""
    services.update_invoice_settings(tenant=tenant, data=DEMO_SELLER)
