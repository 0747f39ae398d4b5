"""Pages of a suspended tenant: ``TenantSuspended`` raised by the tenant resolution becomes the
"shop unavailable" page with status 503 (the API's answer, in the error shape, comes from
``apps.core.errors``). Members see the reason platform staff gave; shoppers a plain notice."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.middleware import is_api_path
from apps.tenants.access import TenantSuspended


class SuspendedTenantMiddleware:
    """Render :class:`TenantSuspended` outside ``/api/`` as ``tenants/suspended.html`` (503)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, TenantSuspended) or is_api_path(request.path):
            return None
        member = getattr(request, "tenant_access", None) is not None
        tenant = exc.tenant
        context = {
            "tenant": tenant,
            "shop_name": tenant.name if tenant else "This shop",
            "reason": tenant.suspension_reason if tenant and member else "",
            "member": member,
        }
        response = render(request, "tenants/suspended.html", context, status=503)
        response["Cache-Control"] = "no-store"
        return response
