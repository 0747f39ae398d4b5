"""Retention of raw events: per tenant, in whole months (default 13); rollups are kept.

Partitions are shared by all tenants, so a monthly partition is dropped (cheap, no bloat) only when
it lies entirely before *every* tenant's cutoff. Inside partitions that some tenants must still
keep, the rows of tenants whose period has passed are deleted (an indexed range delete on the
primary key, which leads with ``(tenant_id, occurred_at)``). See docs/privacy.md.
"""

from __future__ import annotations

from datetime import UTC as dt_utc
from datetime import date, datetime, timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from apps.analytics import event_store
from apps.analytics.event_schema import add_months, month_start
from apps.analytics.models import DEFAULT_RETENTION_MONTHS, AnalyticsSettings, PrivacyRequest, ReportExport

MONTHS_AHEAD = 3


def create_upcoming_partitions(*, today: date | None = None) -> list[str]:
    """Make sure this month's and the next ``MONTHS_AHEAD`` months' partitions exist."""
    today = today or timezone.now().date()
    month = month_start(today)
    return event_store.ensure_partitions(first=month, last=add_months(month, MONTHS_AHEAD))


def cutoff_for(*, retention_months: int, today: date) -> datetime:
    """Raw events before this instant are past retention: the start of the month ``retention_months``
    months before the current one (the current month is always kept whole)."""
    month = add_months(month_start(today), -retention_months)
    return datetime(month.year, month.month, 1, tzinfo=dt_utc)


def tenant_cutoffs(*, today: date) -> dict[int, datetime]:
    """Each tenant's cutoff (tenants with analytics settings, i.e. every tenant that has events)."""
    # Platform job: reads every tenant's retention period.
    periods = AnalyticsSettings.objects.all_tenants().values_list("tenant_id", "retention_months")
    return {tenant_id: cutoff_for(retention_months=months, today=today) for tenant_id, months in periods}


def enforce_retention(*, today: date | None = None) -> dict:
    """Drop partitions past every tenant's retention, then delete older rows tenant by tenant."""
    today = today or timezone.now().date()
    cutoffs = tenant_cutoffs(today=today)
    global_cutoff = (
        min(cutoffs.values()) if cutoffs else cutoff_for(retention_months=DEFAULT_RETENTION_MONTHS, today=today)
    )
    dropped = []
    for name, month in event_store.list_partitions():
        end = add_months(month, 1)
        if datetime(end.year, end.month, 1, tzinfo=dt_utc) <= global_cutoff:
            event_store.drop_partition(name=name)
            dropped.append(name)
    deleted = 0
    for tenant_id, cutoff in cutoffs.items():
        deleted += event_store.delete_tenant_events_before(tenant_id=tenant_id, before=cutoff)
    return {"dropped": dropped, "deleted": deleted}


def purge_expired_files(*, now: datetime | None = None) -> int:
    """Delete export files (CSV reports, encrypted data exports) older than their 24-hour links."""

    cutoff = (now or timezone.now()) - timedelta(hours=24)
    purged = 0
    # Platform job across tenants: only file names are read and cleared.
    for model, queryset in (
        (ReportExport, ReportExport.objects.all_tenants()),
        (PrivacyRequest, PrivacyRequest.objects.all()),
    ):
        for pk, name in queryset.filter(finished_at__lt=cutoff).exclude(file_name="").values_list("pk", "file_name"):
            default_storage.delete(name)
            model._base_manager.filter(pk=pk).update(file_name="")
            purged += 1
    return purged
