"""Celery tasks of the orders app: ids in, idempotent, safe to retry."""

from __future__ import annotations

import smtplib

from celery import shared_task

from apps.core.failures import on_final_failure
from apps.core.tasks import TRANSIENT_ERRORS
from apps.orders import emails, exports, services


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


@shared_task(name="orders.export_orders")
def export_orders(*, tenant_id: int, job_id: int) -> str | None:
    """Run a CSV export job of orders or order lines."""
    job = exports.run_order_export(tenant_id=tenant_id, job_id=job_id)
    return job.status if job else None


@shared_task(name="orders.delete_old_exports")
def delete_old_exports() -> int:
    """Beat: export files hold personal data; they go a day after being made."""
    return exports.delete_old_exports()


@on_final_failure("orders.export_orders")
def mark_export_failed(kwargs: dict, message: str) -> None:
    """An export whose task failed for good is ``failed`` with the reason, never "running" forever."""

    if "tenant_id" in kwargs and "job_id" in kwargs:
        exports.fail_export_job(tenant_id=kwargs["tenant_id"], job_id=kwargs["job_id"], message=message)
