"""The DRF side of tenant access: the same check as pages (``apps.tenants.access``)."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from apps.tenants.access import authorize_request


class TenantMemberPermission(BasePermission):
    """Authenticated member of the URL's tenant, whose role grants the method's permission.

    Outsiders get 404 (Http404 from the resolution), members without the permission 403.
    """

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        authorize_request(request, slug=view.kwargs["tenant_slug"], tenant_permissions=view.tenant_permissions)
        # Also expose on the DRF request wrapper.
        request._request.tenant = request.tenant
        request._request.tenant_access = request.tenant_access
        return True


class TenantScopedAPIMixin:
    """Mix into every API view under ``/api/v1/t/<tenant_slug>/``; set ``tenant_permissions``."""

    permission_classes = [TenantMemberPermission]
    tenant_permissions: dict[str, str] = {}

    @property
    def tenant(self):
        """The tenant resolved for this request (after the permission check)."""
        return self.request.tenant
