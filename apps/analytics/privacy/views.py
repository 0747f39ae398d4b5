"""The privacy self-service page ``/privacy/`` and the console page to erase a whole tenant."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from apps.analytics import selectors, services
from apps.analytics.forms import ConsentForm, EraseAccountForm, EraseTenantForm
from apps.analytics.privacy import grace
from apps.analytics.privacy import requests as privacy
from apps.core.errors import ApplicationError
from apps.tenants.access import tenant_view


def _page(request, *, erase_form=None, status=200) -> HttpResponse:
    context = {
        "consent_form": ConsentForm(initial={"analytics": services.has_consent(user=request.user)}),
        "erase_form": erase_form or EraseAccountForm(user=request.user),
        "requests": [
            {
                "item": item,
                "download": privacy.export_download_url(item) if item.kind == "export" and item.file_name else "",
            }
            for item in selectors.list_privacy_requests(user=request.user)
        ],
        "blocking": privacy.blocking_tenants(user=request.user),
    }
    return render(request, "analytics/privacy.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def privacy_home(request: HttpRequest) -> HttpResponse:
    """Consent, data export and account erasure in one place."""
    return _page(request)


@login_required
@require_http_methods(["POST"])
def privacy_consent(request: HttpRequest) -> HttpResponse:
    form = ConsentForm(request.POST)
    form.is_valid()
    services.set_consent(user=request.user, analytics=form.cleaned_data.get("analytics", False))
    messages.success(request, "Your choice is saved.")
    return redirect(reverse("analytics-privacy:home"))


@login_required
@require_http_methods(["POST"])
def privacy_export(request: HttpRequest) -> HttpResponse:
    privacy.request_data_export(user=request.user)
    messages.success(request, "We are preparing your data. You will get an email with a link valid for 24 hours.")
    return redirect(reverse("analytics-privacy:home"))


@login_required
@require_http_methods(["POST"])
@reauthentication_required
def privacy_erase(request: HttpRequest) -> HttpResponse:
    form = EraseAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, erase_form=form, status=400)
    try:
        privacy.request_erasure(user=request.user, confirm_email=form.cleaned_data["confirm_email"])
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _page(request, erase_form=form, status=exc.status)
    logout(request)
    messages.success(
        request,
        "Your account will be erased after the grace period. We emailed you a link to cancel it; "
        "you have been signed out.",
    )
    return redirect("/")


@login_required
@require_http_methods(["GET", "HEAD"])
def privacy_export_download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = privacy.read_export(user=request.user, token=token)
    except ApplicationError as exc:
        if exc.status == 410:
            return render(request, "analytics/link_expired.html", {}, status=410)
        raise Http404("No such export") from None
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="bazaar-my-data.zip"'
    return response


@tenant_view(permissions={"GET": "tenant.delete", "POST": "tenant.delete"})
@require_http_methods(["GET", "HEAD", "POST"])
@reauthentication_required(allow_get=True)
def erase_tenant(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """An owner erases the whole shop: products, members, analytics; verified afterwards."""
    form = EraseTenantForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        privacy.request_tenant_erasure(
            tenant=request.tenant, user=request.user, confirm_slug=form.cleaned_data["confirm_slug"]
        )
        messages.success(
            request, f"{request.tenant.name} will be erased after the grace period. We emailed you a link to cancel it."
        )
        return redirect("/")
    status = 400 if request.method == "POST" else 200
    return render(request, "analytics/erase_tenant.html", {"form": form, "tenant": request.tenant}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def privacy_erase_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the erasure email: shows what is scheduled; the button cancels it (no sign-in
    needed: erasing an account signs it out)."""
    try:
        item = grace.get_cancellable(token=token)
        if request.method == "POST":
            item = grace.cancel_erasure(token=token)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404("No such erasure") from None
        if exc.status == 410:
            return render(request, "analytics/link_expired.html", {}, status=410)
        messages.error(request, exc.message)
        return render(request, "analytics/erase_cancel.html", {"item": item, "token": token}, status=exc.status)
    if request.method == "POST":
        messages.success(request, "The erasure is cancelled. Nothing was deleted.")
        return redirect(reverse("analytics-privacy:erase-cancel", kwargs={"token": token}))
    return render(request, "analytics/erase_cancel.html", {"item": item, "token": token})
