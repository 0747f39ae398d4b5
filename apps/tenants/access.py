"""Tenant resolution from the URL path and the membership check, for pages and the API.

The tenant is resolved *after* authentication. Someone who is not a member gets 404, exactly as if
the tenant did not exist; a member whose role lacks the permission gets 403. Membership is looked
up on every request through a short cache that membership changes invalidate.

Conventions every tenant-scoped view follows (the isolation matrix test relies on them):

- the URL kwarg is ``tenant_slug``;
- API views mix in :class:`apps.tenants.api.permissions.TenantScopedAPIMixin`; pages use
  :func:`tenant_view` (functions) or :class:`TenantViewMixin` (classes);
- each declares ``tenant_permissions``: HTTP method -> permission, ``"*"`` for the rest. A method
  not listed is refused (fail closed).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Subquery
from django.http import Http404

from apps.core import page_cache
from apps.core.context import set_tenant
from apps.core.errors import ApplicationError, ErrorCode
from apps.tenants.models import Membership, Tenant
from apps.tenants.roles import role_has_permission

MEMBERSHIP_CACHE_SECONDS = 30
PUBLIC_TENANT_CACHE_SECONDS = 30  # bounds staleness for changes made without save() (raw SQL)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TenantSuspended(ApplicationError):
    """The tenant was suspended by platform staff: 503 ``tenant_suspended`` in the API's error
    shape, the "shop unavailable" page elsewhere (``apps.tenants.middleware``)."""

    default_status = 503
    default_code = ErrorCode.TENANT_SUSPENDED

    def __init__(self, tenant: Tenant | None = None, message: str = "This shop is unavailable at the moment.", **kw):
        super().__init__(message, **kw)
        self.tenant = tenant


def check_not_suspended(tenant: Tenant) -> None:
    """Raise :class:`TenantSuspended` if platform staff suspended ``tenant``."""
    if tenant.suspended_at is not None:
        raise TenantSuspended(tenant)


@dataclass(frozen=True)
class TenantAccess:
    """What a request may do in a tenant: the tenant, and the member's role (None for the public)."""

    tenant: Tenant
    role: str | None

    def can(self, permission: str) -> bool:
        """Whether this access grants ``permission``."""
        return role_has_permission(self.role, permission)


def _membership_cache_key(user_id: int, slug: str) -> str:
    return f"tenants:membership:{slug}:{user_id}"


def invalidate_membership_cache(*, user_id: int, slug: str) -> None:
    """Forget the cached role of ``user_id`` in tenant ``slug`` (call after any membership change)."""
    cache.delete(_membership_cache_key(user_id, slug))


def tenant_page_scope(tenant_id: int) -> str:
    """The page-cache scope of a tenant's own fields (name, currency) on cached public pages."""
    return f"tenant:{tenant_id}"


def tenant_page_dependency(tenant_id: int) -> dict:
    """What a cached public page of the tenant depends on (see ``apps.core.page_cache``)."""
    return page_cache.scope_dependency(tenant_page_scope(tenant_id))


def invalidate_tenant_pages(tenant_id: int) -> None:
    """Make the tenant's cached public pages stale (after a change of its name or currency)."""
    page_cache.bump_scope(tenant_page_scope(tenant_id))


def _public_tenant_cache_key(slug: str) -> str:
    return f"tenants:public:{slug}"


def invalidate_public_tenant(*, slug: str) -> None:
    """Forget the cached public lookup of tenant ``slug`` (after any change of its row): now, and
    again when the surrounding transaction commits, so a request that read the old row before the
    commit cannot leave it cached."""
    key = _public_tenant_cache_key(slug)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def get_public_tenant(*, slug: str) -> Tenant:
    """The tenant with ``slug`` for public pages (storefront, public API); 404 if none.

    The row is cached for ``PUBLIC_TENANT_CACHE_SECONDS`` under its slug (every public request
    needs it: one Redis read instead of a query); a save or delete of the tenant forgets it at
    once (``apps.tenants.signals``), so a suspension applies to the next request. An unknown slug
    is not cached (a scan of random slugs cannot fill the cache).
    """
    key = _public_tenant_cache_key(slug)
    tenant = cache.get(key)
    if tenant is None:
        try:
            tenant = Tenant.objects.get(slug=slug)
        except Tenant.DoesNotExist:
            raise Http404("No such tenant") from None
        cache.set(key, tenant, PUBLIC_TENANT_CACHE_SECONDS)
    set_tenant(tenant.slug)
    check_not_suspended(tenant)
    return tenant


def resolve_member_access(*, user, slug: str) -> TenantAccess:
    """The tenant ``slug`` and ``user``'s role in it; ``Http404`` unless the user is a member."""
    if user is None or not user.is_authenticated:
        raise Http404("No such tenant")
    key = _membership_cache_key(user.pk, slug)
    cached = cache.get(key)
    if cached is None:
        # The tenant id from its slug first, then the (tenant, user) unique pair: two unique index
        # lookups. Filtering the join on the slug walked all the user's memberships instead (300
        # rows for an agency in 300 shops).
        tenant_id = Subquery(Tenant.objects.filter(slug=slug).values("pk")[:1])
        membership = Membership.objects.select_related("tenant").filter(user_id=user.pk, tenant_id=tenant_id).first()
        cached = (membership.tenant, membership.role) if membership else ("none", None)
        cache.set(key, cached, MEMBERSHIP_CACHE_SECONDS)
    tenant, role = cached
    if tenant == "none":
        raise Http404("No such tenant")
    set_tenant(tenant.slug)
    return TenantAccess(tenant=tenant, role=role)


def permission_for_method(tenant_permissions: dict[str, str], method: str) -> str | None:
    """The permission a view requires for ``method``: its own entry, else ``"*"``, else None."""
    method = method.upper()
    if method == "HEAD":
        method = "GET" if "GET" in tenant_permissions else method
    return tenant_permissions.get(method) or tenant_permissions.get("*")


def authorize_request(
    request, *, slug: str, tenant_permissions: dict[str, str], suspended_reads: bool = False
) -> TenantAccess:
    """Resolve membership and check the method's permission; sets ``request.tenant`` and
    ``request.tenant_access``. 404 for outsiders, 403 for members without the permission, then
    503 :class:`TenantSuspended` in a suspended tenant (console pages with ``suspended_reads``
    still answer reads, so its staff can see why)."""
    access = resolve_member_access(user=request.user, slug=slug)
    permission = permission_for_method(tenant_permissions, request.method)
    if permission is None or not access.can(permission):
        raise PermissionDenied("Your role does not allow this.")
    request.tenant = access.tenant
    request.tenant_access = access
    if not (suspended_reads and request.method in SAFE_METHODS):
        check_not_suspended(access.tenant)
    return access


def tenant_view(*, permissions: dict[str, str]):
    """Decorator for function-based console pages under ``/a/<tenant_slug>/``.

    Anonymous visitors are sent to log in; outsiders get 404; members without the permission 403.
    The view receives ``request.tenant`` and ``request.tenant_access``.
    """

    def decorator(view_func):
        @functools.wraps(view_func)
        def wrapper(request, *args, tenant_slug: str, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            authorize_request(request, slug=tenant_slug, tenant_permissions=permissions, suspended_reads=True)
            return view_func(request, *args, tenant_slug=tenant_slug, **kwargs)

        wrapper.tenant_permissions = permissions
        return wrapper

    return decorator


class TenantViewMixin:
    """Class-based console pages: set ``tenant_permissions``; see :func:`tenant_view`."""

    tenant_permissions: dict[str, str] = {}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        authorize_request(
            request, slug=kwargs["tenant_slug"], tenant_permissions=self.tenant_permissions, suspended_reads=True
        )
        return super().dispatch(request, *args, **kwargs)


DOMAIN_CACHE_SECONDS = 60


def _domain_cache_key(host: str) -> str:
    return f"tenants:domain:{host}"


def tenant_slug_for_host(host: str) -> str | None:
    """The slug of the tenant whose own ``domain`` is ``host`` (lower case, no port), or None.
    Cached for a minute (negative answers too); ``forget_domain`` clears it after a change."""
    key = _domain_cache_key(host)
    cached = cache.get(key)
    if cached is None:
        slug = Tenant.objects.filter(domain=host).values_list("slug", flat=True).first()
        cached = slug or ""
        cache.set(key, cached, DOMAIN_CACHE_SECONDS)
    return cached or None


def forget_domain(*hosts: str | None) -> None:
    """Forget the cached host -> tenant answers of ``hosts`` (after a tenant's domain changes)."""
    cache.delete_many([_domain_cache_key(host) for host in hosts if host])
