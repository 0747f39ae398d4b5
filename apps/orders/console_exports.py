"""The console's order exports: ``POST /a/<slug>/orders/export`` (``kind=orders|lines`` with the
list's filters), the job page (progress, htmx poll) and the download. ``orders.view`` (the same
people who see the list see what it exports)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import ApplicationError, NotFound
from apps.orders import exports
from apps.tenants.access import tenant_view


def _job_or_404(tenant, pk: int):
    try:
        return exports.get_export_job(tenant=tenant, job_id=pk)
    except NotFound:
        raise Http404("No such export") from None


@require_POST
@tenant_view(permissions={"POST": "orders.view"})
def export_start(request, tenant_slug: str):
    """Queue an export of the list as filtered now."""
    tenant = request.tenant
    try:
        job = exports.start_order_export(
            tenant=tenant, user=request.user, kind=request.POST.get("kind", ""), params=request.POST
        )
    except ApplicationError as exc:
        messages.error(request, exc.message if not exc.details else "Choose what to export.")
        return redirect(reverse("orders-console:list", args=[tenant.slug]))
    return redirect(reverse("orders-console:export-job", args=[tenant.slug, job.pk]))


@require_GET
@tenant_view(permissions={"GET": "orders.view"})
def export_job(request, tenant_slug: str, pk: int):
    """A job's progress (the htmx poll target) and, when done, the download link."""
    job = _job_or_404(request.tenant, pk)
    context = {"tenant": request.tenant, "job": job, "progress": exports.get_export_progress(job)}
    if request.htmx:
        return render(request, "orders/console/_export_progress.html", context)
    return render(request, "orders/console/export_job.html", context)


@require_GET
@tenant_view(permissions={"GET": "orders.view"})
def export_download(request, tenant_slug: str, pk: int):
    """The finished CSV (404 before it is made or after it was deleted)."""
    job = _job_or_404(request.tenant, pk)
    if not job.result:
        raise Http404("Not ready")
    name = f"{request.tenant.slug}-{job.kind}-{job.pk}.csv"
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=name, content_type="text/csv")
