"""Analytics console pages (dashboard, exports, settings) and the privacy self-service page."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.analytics import charts, commerce, exports, selectors, services
from apps.analytics.forms import AnalyticsSettingsForm, ExportForm, RangeForm
from apps.core.errors import ApplicationError
from apps.tenants.access import tenant_view

TOP_SECTIONS = [
    ("pages", "Top pages", "Page"),
    ("products", "Top products", "Product"),
    ("search-terms", "Top search terms", "Search"),
    ("zero-result-searches", "Searches with no results", "Search"),
    ("referrers", "Referrers", "Site"),
]
METRICS = [
    ("visitors", "Visitors"),
    ("pageviews", "Pageviews"),
    ("sessions", "Sessions"),
    ("bounce_rate", "Bounce rate %"),
    ("product_views", "Product views"),
    ("searches", "Searches"),
]
COMMERCE_CARDS = [
    ("revenue", "Revenue"),
    ("orders", "Orders"),
    ("average_order_value", "Average order value"),
    ("conversion_rate", "Conversion rate %"),
    ("refunds", "Refunds"),
    ("cancelled", "Cancelled unpaid"),
]
LOWER_IS_BETTER = frozenset({"bounce_rate", "refunds", "cancelled"})
RECENT_EXPORTS = 5
EXPORT_FORM_IDS = "id_export_%s"  # the range form above uses the default ids: no duplicates on the page


def metric_tone(name: str, change) -> str:
    """``good``, ``bad`` or ``flat`` for a change in ``name``: a falling bounce rate is good news."""
    if change is None or change == 0:
        return "flat"
    rising = change > 0
    return "good" if rising != (name in LOWER_IS_BETTER) else "bad"


def _dashboard_url(tenant) -> str:
    return reverse("analytics-console:dashboard", kwargs={"tenant_slug": tenant.slug})


def commerce_context(*, tenant, rng) -> dict:
    """The dashboard's sales cards (with the previous period), funnel, product sales and vouchers."""
    sales = selectors.build_report(tenant=tenant, name="commerce", rng=rng)
    cards = [
        {
            "name": name,
            "label": label,
            "value": sales["totals"][name],
            "money": name in commerce.MONEY_METRICS,
            "change": sales["change"][name],
            "tone": metric_tone(name, sales["change"][name]),
        }
        for name, label in COMMERCE_CARDS
    ]
    return {
        "currency": sales["currency"],
        "sales_cards": cards,
        "funnel": commerce.funnel(tenant=tenant, rng=rng),
        "product_sales": commerce.product_sales(tenant=tenant, rng=rng),
        "vouchers": commerce.voucher_use(tenant=tenant, rng=rng),
    }


@tenant_view(permissions={"GET": "analytics.view"})
@require_http_methods(["GET", "HEAD"])
def dashboard(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Totals with the previous period, a visitors/pageviews SVG chart and the top lists."""
    tenant = request.tenant
    form = RangeForm(request.GET or None)
    status = 200
    params = {"period": "7d"}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        params = {
            "period": data.get("period") or "7d",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
        if params["period"] != "custom":
            params.pop("date_from")
            params.pop("date_to")
    elif form.is_bound:
        status = 400
    try:
        rng = selectors.resolve_range(tenant=tenant, **params)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        rng, status = selectors.resolve_range(tenant=tenant, period="7d"), 400
    services.refresh_live_rollups(tenant=tenant)
    report = selectors.build_report(tenant=tenant, name="summary", rng=rng)
    series = selectors.timeseries(tenant=tenant, rng=rng)
    metrics = [
        {
            "name": name,
            "label": label,
            "value": report["totals"][name],
            "change": report["change"][name],
            "tone": metric_tone(name, report["change"][name]),
        }
        for name, label in METRICS
    ]
    sections = [
        {
            "name": name,
            "title": title,
            "column": column,
            "rows": selectors.build_report(tenant=tenant, name=name, rng=rng)["rows"],
        }
        for name, title, column in TOP_SECTIONS
    ]
    context = {
        "tenant": tenant,
        "form": form,
        "rng": rng,
        "metrics": metrics,
        **commerce_context(tenant=tenant, rng=rng),
        "chart": charts.line_chart(series),
        "sections": sections,
        "export_form": ExportForm(initial={"date_from": rng.first, "date_to": rng.last}, auto_id=EXPORT_FORM_IDS),
        "can_export": request.tenant_access.can("analytics.export"),
        "recent_exports": (
            exports.list_recent_exports(tenant=tenant, user=request.user, limit=RECENT_EXPORTS)
            if request.tenant_access.can("analytics.export")
            else []
        ),
        "can_manage": request.tenant_access.can("analytics.manage"),
    }
    return render(request, "analytics/dashboard.html", context, status=status)


@tenant_view(permissions={"POST": "analytics.export"})
@require_http_methods(["POST"])
def export_report(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Queue a CSV export of one report; the link arrives by email (and on the dashboard)."""
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a report and a valid range to export.")
        return redirect(_dashboard_url(request.tenant))
    data = form.cleaned_data
    try:
        rng = selectors.resolve_range(
            tenant=request.tenant, period="custom", date_from=data["date_from"], date_to=data["date_to"]
        )
        exports.request_report_export(tenant=request.tenant, user=request.user, report=data["report"], rng=rng)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your export is being prepared. We will email you a link valid for 24 hours.")
    return redirect(_dashboard_url(request.tenant))


@tenant_view(permissions={"GET": "analytics.export"})
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, tenant_slug: str, token: str) -> HttpResponse:
    """Serve a finished export to a member who may export, while the signed link is valid."""
    try:
        export = exports.resolve_download(tenant=request.tenant, token=token)
    except ApplicationError as exc:
        if exc.status == 410:
            return render(request, "analytics/link_expired.html", {"tenant": request.tenant}, status=410)
        raise Http404("No such export") from None
    filename = f"{request.tenant.slug}-{export.report}-{export.date_from}-{export.date_to}.csv"
    return FileResponse(
        default_storage.open(export.file_name, "rb"), as_attachment=True, filename=filename, content_type="text/csv"
    )


@tenant_view(permissions={"GET": "analytics.manage", "POST": "analytics.manage"})
@require_http_methods(["GET", "HEAD", "POST"])
def analytics_settings(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Retention, Global Privacy Control and the ingest key (rotate)."""
    tenant = request.tenant
    current = services.get_or_create_settings(tenant=tenant)
    url = reverse("analytics-console:settings", kwargs={"tenant_slug": tenant.slug})
    if request.method == "POST" and "rotate" in request.POST:
        services.rotate_ingest_key(tenant=tenant)
        messages.success(request, "A new ingest key is active; the old one no longer works.")
        return redirect(url)
    form = AnalyticsSettingsForm(
        request.POST or None, initial={"retention_months": current.retention_months, "honour_gpc": current.honour_gpc}
    )
    if request.method == "POST":
        if form.is_valid():
            services.update_settings(tenant=tenant, **form.cleaned_data)
            messages.success(request, "Analytics settings saved.")
            return redirect(url)
        return render(
            request, "analytics/settings.html", {"form": form, "settings": current, "tenant": tenant}, status=400
        )
    return render(request, "analytics/settings.html", {"form": form, "settings": current, "tenant": tenant})
