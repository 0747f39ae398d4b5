"""Analytics Celery tasks: drain the ingest buffer, rebuild rollups, partitions, retention, exports.

Each task is idempotent (safe to retry or run twice) and delegates to a service.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

# Module imports only: privacy.grace imports this module (to register the tasks it enqueues), and
# the functions are looked up when a task runs, so no import order can meet a half-loaded module.
from apps.analytics import buffer, exports, purchases, rollups
from apps.analytics.privacy import grace, retention
from apps.analytics.privacy import requests as privacy_requests


@shared_task(name="analytics.drain_events")
def drain_events() -> int:
    """Move buffered events from the Redis stream into the event store; returns rows stored."""
    return buffer.drain(min_idle_ms=settings.ANALYTICS_RECLAIM_IDLE_MS).inserted


@shared_task(name="analytics.rebuild_rollups")
def rebuild_rollups() -> int:
    """Rebuild the hourly rollups of every dirty (tenant, day) bucket."""
    return rollups.rebuild_dirty()


@shared_task(name="analytics.record_purchase")
def record_purchase_task(tenant_id: int, order_id: int) -> str:
    """Buffer the server-side purchase event of one placed order (idempotent: one event id per order)."""

    return purchases.record_purchase(tenant_id=tenant_id, order_id=order_id)


@shared_task(name="analytics.record_refund")
def record_refund_task(tenant_id: int, order_id: int, refund_id: str, amount: str, refunded_at: str) -> str:
    """Buffer the server-side refund event of one refund (idempotent: one event id per refund)."""

    return purchases.record_refund(
        tenant_id=tenant_id, order_id=order_id, refund_id=refund_id, amount=amount, refunded_at=refunded_at
    )


@shared_task(name="analytics.record_cancellation")
def record_cancellation_task(**cancellation) -> str:
    """Buffer the server-side cancellation event of one order (idempotent: one event id per order);
    the keyword arguments are those of ``purchases.record_cancellation``."""

    return purchases.record_cancellation(**cancellation)


@shared_task(name="analytics.ensure_partitions")
def ensure_partitions() -> list[str]:
    """Create next months' event partitions ahead of time."""
    return retention.create_upcoming_partitions()


@shared_task(name="analytics.enforce_retention")
def enforce_retention() -> dict:
    """Delete raw events past each tenant's retention; drop partitions past everyone's; delete
    export files whose 24-hour links have expired."""

    result = retention.enforce_retention()
    result["files_purged"] = retention.purge_expired_files()
    return result


@shared_task(name="analytics.build_report_export")
def build_report_export_task(export_id: int) -> str:
    """Build one CSV report export and email its link."""
    return exports.build_report_export(export_id=export_id).status


@shared_task(name="analytics.build_data_export")
def build_data_export_task(request_id: int) -> str:
    """Build one GDPR data export (encrypted ZIP) and email its link."""
    return privacy_requests.build_data_export(request_id=request_id).status


@shared_task(name="analytics.erase_user")
def erase_user_task(request_id: int) -> str:
    """Erase one user's personal data in every app and verify."""
    return privacy_requests.erase_user(request_id=request_id).status


@shared_task(name="analytics.erase_tenant")
def erase_tenant_task(request_id: int) -> str:
    """Erase a whole tenant and verify."""
    return privacy_requests.erase_tenant(request_id=request_id).status


@shared_task(name="analytics.send_erasure_notice")
def send_erasure_notice_task(request_id: int) -> bool:
    """Email the cancel link of a scheduled erasure."""
    return grace.send_erasure_notice(request_id=request_id)


@shared_task(name="analytics.run_due_erasures")
def run_due_erasures_task() -> int:
    """Queue the erasures whose grace period is over (beat, every minute)."""
    return grace.run_due_erasures()
