"""CSV exports of the order list (one row per order) or of its lines (one row per line), in the
background: the catalog job pattern (a job row, an outbox task, live progress in the cache, a
download link when done). Every cell goes through ``apps.core.csv_safe`` so a spreadsheet never
runs one as a formula; amounts stay numbers. The files hold personal data: they are deleted with
their job a day after being made (``delete_old_exports``, beat)."""

from __future__ import annotations

import io
import tempfile
from datetime import timedelta

from django.core.cache import cache
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from apps.core import csv_safe
from apps.core.errors import Invalid, NotFound
from apps.core.outbox import enqueue_task
from apps.orders.models import OrderExportJob, OrderExportKind, OrderExportStatus, OrderLine, OrderStatus, PaymentStatus
from apps.orders.selectors import list_orders

ORDER_COLUMNS = [
    "number", "created_at", "email", "name", "country", "status", "payment_status", "payment_method",
    "shipping_method", "currency", "subtotal", "shipping_price", "tax_total", "net_total", "total",
]  # fmt: skip
LINE_COLUMNS = [
    "order_number", "order_created_at", "email", "sku", "product_name", "options", "quantity",
    "quantity_fulfilled", "unit_price", "tax_rate", "net", "tax", "total", "currency",
]  # fmt: skip
ORDER_FIELDS = (
    "number", "created_at", "email", "shipping_address", "status", "payment_status", "payment_method",
    "shipping_method_name", "currency", "subtotal", "shipping_price", "tax_total", "net_total", "total",
)  # fmt: skip
FILTER_KEYS = ("q", "status", "payment_status", "from", "to")
KEEP_FILES = timedelta(days=1)
PROGRESS_EVERY = 1000


def _progress_key(job_id: int) -> str:
    return f"orders:export:{job_id}:progress"


def get_export_progress(job: OrderExportJob) -> dict:
    """``done``, ``total``, ``percent`` of a job (live from the cache while it runs)."""
    live = (
        cache.get(_progress_key(job.pk))
        if job.status in (OrderExportStatus.PENDING, OrderExportStatus.RUNNING)
        else None
    )
    done, total = (live["done"], live["total"]) if live else (job.total_rows, job.total_rows)
    finished = job.status in (OrderExportStatus.DONE, OrderExportStatus.FAILED)
    percent = 100 if finished else (int(done * 100 / total) if total else 0)
    return {"done": done, "total": total, "percent": min(percent, 100)}


def clean_export_filters(params) -> dict:
    """The order list's filters from ``params`` (a dict or QueryDict); unknown values dropped like
    the list does, so the export holds exactly the rows the list showed."""
    kept = {key: str(params.get(key, "") or "")[:254] for key in FILTER_KEYS if params.get(key)}
    if kept.get("status") not in (None, *OrderStatus.values):
        kept.pop("status")
    if kept.get("payment_status") not in (None, *PaymentStatus.values):
        kept.pop("payment_status")
    for key in ("from", "to"):
        try:
            if key in kept and parse_date(kept[key]) is None:
                kept.pop(key)
        except ValueError:
            kept.pop(key)
    return kept


def start_order_export(*, tenant, user, kind: str, params) -> OrderExportJob:
    """Queue a CSV export of the orders (``kind="orders"``) or their lines (``"lines"``) that the
    list's filters in ``params`` select. :class:`Invalid` for another kind; nothing is written."""
    if kind not in OrderExportKind.values:
        raise Invalid({"kind": [f"Choose one of: {', '.join(OrderExportKind.values)}."]})
    with transaction.atomic():
        job = OrderExportJob.objects.create(
            tenant=tenant, kind=kind, created_by=user if user else None, params=clean_export_filters(params)
        )
        enqueue_task("orders.export_orders", tenant_id=tenant.pk, job_id=job.pk)
    return job


def get_export_job(*, tenant, job_id: int) -> OrderExportJob:
    """One of the tenant's export jobs; :class:`NotFound`."""
    job = OrderExportJob.objects.for_tenant(tenant).filter(pk=job_id).first()
    if job is None:
        raise NotFound("No such export.")
    return job


def list_export_jobs(*, tenant):
    """The tenant's recent exports, newest first."""
    return OrderExportJob.objects.for_tenant(tenant).select_related("created_by").order_by("-created_at", "-id")


def _filtered_orders(tenant, params: dict):
    return list_orders(
        tenant=tenant,
        q=params.get("q", ""),
        status=params.get("status", ""),
        payment_status=params.get("payment_status", ""),
        date_from=parse_date(params["from"]) if params.get("from") else None,
        date_to=parse_date(params["to"]) if params.get("to") else None,
    )


def _order_rows(orders):
    for row in orders.values_list(*ORDER_FIELDS).iterator(chunk_size=2000):
        number, created, email, address, *rest = row
        address = address or {}
        yield [number, created.isoformat(), email, address.get("name", ""), address.get("country", ""), *rest]


def _line_rows(tenant, orders):
    lines = (
        OrderLine.objects.for_tenant(tenant)
        .filter(order_id__in=orders.values("id"))
        .order_by("-order__created_at", "-order_id", "id")
        .values_list(
            "order__number",
            "order__created_at",
            "order__email",
            "sku",
            "product_name",
            "options",
            "quantity",
            "quantity_fulfilled",
            "unit_price",
            "tax_rate",
            "net",
            "tax",
            "total",
            "order__currency",
        )  # fmt: skip
    )
    for number, created, email, sku, name, options, *rest in lines.iterator(chunk_size=2000):
        options_text = "; ".join(f"{k}={v}" for k, v in (options or {}).items())
        yield [number, created.isoformat(), email, sku, name, options_text, *rest]


def run_order_export(*, tenant_id: int, job_id: int) -> OrderExportJob | None:
    """Write the job's CSV; a finished job is left as it is (a redelivered task does nothing)."""
    job = OrderExportJob.objects.for_tenant(tenant_id).select_related("tenant").filter(pk=job_id).first()
    if job is None or job.status in (OrderExportStatus.DONE, OrderExportStatus.FAILED):
        return job
    OrderExportJob.objects.for_tenant(tenant_id).filter(pk=job_id).update(status=OrderExportStatus.RUNNING)
    orders = _filtered_orders(job.tenant, job.params or {})
    if job.kind == OrderExportKind.LINES:
        total = OrderLine.objects.for_tenant(tenant_id).filter(order_id__in=orders.values("id")).count()
        columns, rows = LINE_COLUMNS, _line_rows(job.tenant, orders)
    else:
        total = orders.count()
        columns, rows = ORDER_COLUMNS, _order_rows(orders)
    cache.set(_progress_key(job.pk), {"done": 0, "total": total}, timeout=24 * 3600)
    count = 0
    with tempfile.TemporaryFile("w+b") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv_safe.writer(text)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
            if count % PROGRESS_EVERY == 0:
                cache.set(_progress_key(job.pk), {"done": count, "total": total}, timeout=24 * 3600)
        text.flush()
        raw.seek(0)
        job.result.save(f"{job.kind}-{job.pk}.csv", File(raw), save=False)
        text.detach()
    job.total_rows = count
    job.status = OrderExportStatus.DONE
    job.message = f"{count} row{'s' if count != 1 else ''} exported."
    job.finished_at = timezone.now()
    job.save()
    return job


def fail_export_job(*, tenant_id: int, job_id: int, message: str) -> bool:
    """Mark an unfinished export failed with ``message`` (its task died for good)."""
    return bool(
        OrderExportJob.objects.for_tenant(tenant_id)
        .filter(pk=job_id, status__in=(OrderExportStatus.PENDING, OrderExportStatus.RUNNING))
        .update(
            status=OrderExportStatus.FAILED, message=f"The export stopped: {message}"[:500], finished_at=timezone.now()
        )
    )


def delete_old_exports(*, now=None) -> int:
    """Beat: delete export jobs (and their files) made more than a day ago; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FILES
    old = list(OrderExportJob.objects.all_tenants().filter(created_at__lt=cutoff))  # platform-wide housekeeping
    for job in old:
        if job.result:
            job.result.delete(save=False)
    OrderExportJob.objects.all_tenants().filter(pk__in=[job.pk for job in old]).delete()
    return len(old)


def list_tenant_export_files(tenant_id: int) -> list[str]:
    """Storage names of the tenant's export files (``apps.tenants.deletion`` hook)."""
    return [name for name in OrderExportJob.objects.for_tenant(tenant_id).values_list("result", flat=True) if name]
