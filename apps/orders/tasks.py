"""Celery tasks of the orders app: ids in, idempotent, safe to retry."""

from __future__ import annotations

import smtplib

from celery import shared_task

from apps.core.tasks import TRANSIENT_ERRORS
from apps.orders import emails, services


# A mail server that is down or refuses for now is retried with backoff like any transient error.
@shared_task(name="orders.send_order_email", autoretry_for=(*TRANSIENT_ERRORS, smtplib.SMTPException))
def send_order_email(tenant_id: int, order_id: int, kind: str, ref: int | None = None) -> bool:
    """Email the shopper about the order (placed, paid, shipped, cancelled, refunded), once per
    kind (and per shipment / refund ``ref``)."""
    return emails.send_order_email(tenant_id=tenant_id, order_id=order_id, kind=kind, ref=ref)


@shared_task(name="orders.expire_carts")
def expire_carts() -> dict:
    """Beat: delete expired carts and holds."""
    result = services.expire_carts()
    return {"carts": result.carts, "holds": result.holds}
