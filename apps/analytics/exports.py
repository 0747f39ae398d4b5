"""Background CSV exports of reports, with signed download links valid 24 hours."""

from __future__ import annotations

import io
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.analytics import selectors
from apps.analytics.models import JobStatus, ReportExport
from apps.analytics.signed_links import LINK_MAX_AGE, make_link_token, read_link_token
from apps.core import csv_safe
from apps.core.errors import ApplicationError, ErrorCode, Invalid, NotFound
from apps.core.outbox import enqueue_task

SALT = "analytics.report-export"


def request_report_export(*, tenant, user, report: str, rng: selectors.DateRange) -> ReportExport:
    """Record an export of ``report`` over ``rng`` and build it in the background."""

    if report not in selectors.REPORTS:
        raise Invalid({"report": ["Unknown report."]}, message="Unknown report.")
    with transaction.atomic():
        export = ReportExport.objects.create(
            tenant=tenant, requested_by=user, report=report, date_from=rng.first, date_to=rng.last
        )
        enqueue_task("analytics.build_report_export", export.pk)
    return export


def list_recent_exports(*, tenant, user, limit: int = 5) -> list[dict]:
    """``user``'s latest exports of ``tenant``: report, range, status and, once done and fresh, a download path."""
    rows = []
    now = timezone.now()
    for export in ReportExport.objects.for_tenant(tenant).filter(requested_by=user).order_by("-created_at")[:limit]:
        export.tenant = tenant  # no second query for the link
        fresh = export.finished_at is not None and now - export.finished_at <= timedelta(seconds=LINK_MAX_AGE)
        path = ""
        if export.status == JobStatus.DONE and export.file_name and fresh:
            path = reverse(
                "analytics-console:export-download",
                kwargs={"tenant_slug": tenant.slug, "token": download_token(export)},
            )
        rows.append({"export": export, "download_path": path, "expired": export.status == JobStatus.DONE and not fresh})
    return rows


def download_token(export: ReportExport) -> str:
    """A signed token naming the export; valid for ``LINK_MAX_AGE`` seconds."""
    return make_link_token({"e": str(export.public_id), "t": export.tenant_id}, salt=SALT)


def download_url(export: ReportExport) -> str:
    path = reverse(
        "analytics-console:export-download",
        kwargs={"tenant_slug": export.tenant.slug, "token": download_token(export)},
    )
    return settings.SITE_URL.rstrip("/") + path


def resolve_download(*, tenant, token: str) -> ReportExport:
    """The finished export a token names, for ``tenant``; 404-style error if expired or foreign."""
    data = read_link_token(token, salt=SALT, max_age=LINK_MAX_AGE)
    export = (
        ReportExport.objects.for_tenant(tenant).filter(public_id=data.get("e"), status=JobStatus.DONE).first()
        if data.get("t") == tenant.pk
        else None
    )
    if export is None or not export.file_name:
        raise NotFound()
    if export.finished_at and timezone.now() - export.finished_at > timedelta(seconds=LINK_MAX_AGE):
        raise ApplicationError("This download link has expired.", code=ErrorCode.LINK_EXPIRED, status=410)
    return export


def build_report_export(*, export_id: int) -> ReportExport:
    """Write the CSV, mark the export done and email the link (idempotent: done stays done)."""
    export = ReportExport.objects.all_tenants().select_related("tenant", "requested_by").get(pk=export_id)
    if export.status == JobStatus.DONE:
        return export
    tenant = export.tenant
    rng = selectors.DateRange(export.date_from, export.date_to, selectors.tenant_zone(tenant))
    report = selectors.build_report(tenant=tenant, name=export.report, rng=rng, limit=1000)
    buffer = io.StringIO()
    csv_safe.writer(buffer).writerows(selectors.report_csv_rows(report))
    name = default_storage.save(
        f"analytics/exports/{tenant.pk}/{export.public_id}.csv", ContentFile(buffer.getvalue().encode())
    )
    export.file_name = name
    export.status = JobStatus.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file_name", "status", "finished_at"])
    if export.requested_by and export.requested_by.email:
        send_mail(
            f"Your {export.report} report for {tenant.name} is ready",
            f"Download it within 24 hours:\n{download_url(export)}\n",
            None,
            [export.requested_by.email],
        )
    return export
