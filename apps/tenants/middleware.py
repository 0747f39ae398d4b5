"""Tenant-level middleware: a shop's own domain (``CustomDomainMiddleware``) and the pages of a
suspended tenant.

Suspended: ``TenantSuspended`` raised by the tenant resolution becomes the
"shop unavailable" page with status 503 (the API's answer, in the error shape, comes from
``apps.core.errors``). Members see the reason platform staff gave; shoppers a plain notice."""

from __future__ import annotations

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.middleware import is_api_path
from apps.tenants.access import TenantSuspended, tenant_slug_for_host
from apps.tenants.validation import platform_hosts


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


# Paths that stay the platform's on a shop's own domain (sign-in, console, API, admin, files).
PLATFORM_PREFIXES = ("/s/", "/a/", "/api/", "/admin/", "/accounts/", "/static/", "/healthz", "/readyz", "/metrics")


class CustomDomainMiddleware:
    """On a shop's own host (``Tenant.domain``), serve its storefront at the root: ``/`` is
    ``/s/<slug>/``, ``/p/lamp/`` is ``/s/<slug>/p/lamp/`` (robots.txt and sitemap.xml too). The
    platform's own paths (``PLATFORM_PREFIXES``) are left as they are. A host Django does not
    allow is left to Django (400); the platform's own hosts are never looked up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        slug = self._slug_for(request)
        if slug and not request.path_info.startswith(PLATFORM_PREFIXES):
            request.path_info = f"/s/{slug}{request.path_info}"
            request.path = f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}{request.path_info}"
            request.custom_domain_slug = slug
        return self.get_response(request)

    @staticmethod
    def _slug_for(request: HttpRequest) -> str | None:
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        host = host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()
        if host in platform_hosts():
            return None
        return tenant_slug_for_host(host)
