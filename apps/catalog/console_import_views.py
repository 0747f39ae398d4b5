"""The console's import preview: ``/a/<slug>/catalog/import/preview`` (upload, see the first rows
with their errors and the counts), ``.../preview/<token>/`` (the preview again, and "Import"),
``.../preview/<token>/errors.csv`` (every problem) and ``.../template.csv`` (a file to fill in).
``catalog.edit`` only: the import page itself is for editors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.catalog import import_preview
from apps.catalog.console_views import _body_too_large
from apps.catalog.csv_dialect import ImportOptions
from apps.catalog.csv_rows import error_report_csv
from apps.catalog.forms import ImportForm, ImportOptionsForm, apply_service_errors
from apps.catalog.importer import max_import_bytes
from apps.catalog.models import ImportMode
from apps.core.errors import ApplicationError, NotFound
from apps.tenants.access import tenant_view

EDIT_PAGE = {"GET": "catalog.edit", "POST": "catalog.edit"}


def _url(name: str, tenant, *args) -> str:
    return reverse(f"catalog-console:{name}", args=[tenant.slug, *args])


def _preview_or_404(tenant, token: str, options: ImportOptions | None = None):
    try:
        return import_preview.preview_import(tenant=tenant, token=token, options=options)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _options(data) -> tuple[ImportOptionsForm, ImportOptions]:
    """The reading options of a query or form (unknown values read as "detect")."""
    form = ImportOptionsForm(data)
    if not form.is_valid():
        form = ImportOptionsForm({})
        form.is_valid()
    return form, form.import_options()


def _query(mode: str, options: ImportOptions) -> str:
    params = {"mode": mode, **options.to_params()}
    params["create_categories"] = "1" if options.create_categories else ""
    return urlencode({k: v for k, v in params.items() if v})


@tenant_view(permissions={"POST": "catalog.edit"})
@require_POST
def import_preview_upload(request, tenant_slug: str):
    """Keep the uploaded file and show its preview (PRG: redirect to the preview's own page)."""
    too_large = _body_too_large(request, max_import_bytes())
    if too_large:
        return too_large
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            token = import_preview.store_preview_upload(tenant=request.tenant, upload=form.cleaned_data["file"])
        except ApplicationError as exc:
            apply_service_errors(form, exc)
        else:
            query = _query(form.cleaned_data["mode"], form.import_options())
            return redirect(_url("import-preview", request.tenant, token) + "?" + query)
    context = {"tenant": request.tenant, "form": form, "jobs": [], "columns": import_preview.COLUMNS}
    return render(request, "catalog/console/import.html", context, status=400)


@tenant_view(permissions=EDIT_PAGE)
def import_preview_page(request, tenant_slug: str, token: str):
    """GET: the preview. POST ``mode``: queue the import and go to its progress page."""
    tenant = request.tenant
    if request.method == "POST":
        mode = request.POST.get("mode", "")
        options_form, options = _options(request.POST)
        try:
            job = import_preview.start_previewed_import(
                tenant=tenant, user=request.user, token=token, mode=mode, options=options
            )
        except ApplicationError as exc:
            if exc.status == 404:
                raise Http404(exc.message) from None
            preview = _preview_or_404(tenant, token, options)
            context = {
                "tenant": tenant,
                "preview": preview,
                "mode": mode,
                "error": exc.message,
                "options_form": options_form,
            }
            return render(request, "catalog/console/import_preview.html", context, status=exc.status)
        return redirect(_url("job", tenant, job.pk))
    options_form, options = _options(request.GET)
    preview = _preview_or_404(tenant, token, options)
    mode = request.GET.get("mode") if request.GET.get("mode") in ImportMode.values else ImportMode.SKIP
    context = {
        "tenant": tenant,
        "preview": preview,
        "mode": mode,
        "modes": ImportMode.choices,
        "options_form": options_form,
    }
    return render(request, "catalog/console/import_preview.html", context)


@tenant_view(permissions={"GET": "catalog.edit"})
def import_preview_errors(request, tenant_slug: str, token: str) -> HttpResponse:
    """Every problem of the previewed file, as the import's error report."""
    _, options = _options(request.GET)
    preview = _preview_or_404(request.tenant, token, options)
    body = error_report_csv(preview.errors)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="import-preview-errors.csv"'
    return response


@tenant_view(permissions={"GET": "catalog.edit"})
def import_template(request, tenant_slug: str) -> HttpResponse:
    """A CSV with every column and three example rows, to fill in."""
    response = HttpResponse(import_preview.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bazaar-products-template.csv"'
    return response
