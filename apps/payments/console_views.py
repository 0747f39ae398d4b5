"""Payments in the console: provider settings (``/a/<slug>/payments/``) and "Mark paid"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from apps.core.errors import ApplicationError, Invalid, NotFound
from apps.core.money import format_money
from apps.payments import selectors, services
from apps.payments.forms import ProviderSettingsForm
from apps.payments.providers import get_provider, list_providers
from apps.tenants.access import tenant_view

MANAGE = {"GET": "orders.manage", "POST": "orders.manage"}


def settings_url(tenant) -> str:
    return reverse("payments-console:settings", kwargs={"tenant_slug": tenant.slug})


def _form_for(provider, config, data=None) -> ProviderSettingsForm:
    initial = {
        "enabled": config.enabled,
        "instructions": config.instructions,
        "publishable_key": config.publishable_key,
    }
    return ProviderSettingsForm(data, initial=initial, prefix=provider.code, needs_keys=provider.needs_keys)


@tenant_view(permissions=MANAGE)
def provider_settings(request: HttpRequest, tenant_slug: str) -> HttpResponse:
    """Every provider's settings on one page; each saves on its own."""
    tenant = request.tenant
    configs = selectors.list_provider_configs(tenant=tenant)
    posted = request.POST.get("provider") if request.method == "POST" else None
    if posted is not None and posted not in configs:
        messages.error(request, "Unknown payment provider.")
        return redirect(settings_url(tenant))
    sections, failed = [], False
    for provider in list_providers():
        config = configs[provider.code]
        form = _form_for(provider, config, request.POST if posted == provider.code else None)
        if posted == provider.code:
            if form.is_valid():
                try:
                    services.update_provider_config(tenant=tenant, provider=provider.code, **form.cleaned_data)
                except Invalid as exc:
                    for field, errors in exc.details.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    messages.success(request, f"{provider.label} settings saved.")
                    return redirect(settings_url(tenant))
            failed = True
        sections.append({"provider": provider, "config": config, "form": form})
    context = {"tenant": tenant, "sections": sections}
    return render(request, "payments/console/settings.html", context, status=400 if failed else 200)


@tenant_view(permissions={"POST": "orders.manage"})
def mark_paid(request: HttpRequest, tenant_slug: str, order_id: int) -> HttpResponse:
    """Record that a bank transfer or cash on delivery payment arrived (PRG back to the order)."""
    tenant = request.tenant
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    try:
        payment = services.mark_paid(tenant=tenant, order_id=order_id, actor=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        paid = format_money(payment.amount, payment.currency)
        messages.success(request, f"Payment of {paid} recorded: the order is paid.")
    return redirect(back or settings_url(tenant))


def order_section_context(request, order) -> dict:
    """What the order detail's payments section shows (see ``methods.order_payments_section``)."""
    tenant_id = order.tenant_id
    payments = list(selectors.list_order_payments(tenant=tenant_id, order_id=order.pk))
    try:
        provider = get_provider(order.payment_method)
    except ApplicationError:
        provider = None
    access = getattr(request, "tenant_access", None)
    can_mark = bool(
        provider
        and provider.manual
        and order.payment_status == "unpaid"
        and order.status != "cancelled"
        and access is not None
        and access.can("orders.manage")
    )
    return {
        "order": order,
        "payments": payments,
        "provider": provider,
        "can_mark_paid": can_mark,
        "mark_paid_url": reverse(
            "payments-console:mark-paid", kwargs={"tenant_slug": request.tenant.slug, "order_id": order.pk}
        ),
        "next_url": request.get_full_path(),
    }
