"""The isolation matrix, built from the URL configuration (issue 3, items 14-15).

Every URL pattern under ``/api/v1/t/<tenant_slug>/`` and ``/a/<tenant_slug>/`` — including those
that catalog and analytics add later — is found by walking the resolver. Each view must declare
``tenant_permissions`` (``@tenant_view``, ``TenantViewMixin`` or ``TenantScopedAPIMixin``) or be on
the ``PUBLIC_TENANT_VIEWS`` allow-list. Then, for every declared method and every role, plus a
member of another tenant and an anonymous visitor, the response must match the role table:

- member of another tenant: 404, and the membership check is what refused (no ``tenant_access``);
- anonymous: 401 in the API, a redirect to the login page for pages;
- member whose role lacks the method's permission: 403;
- member whose role has it: neither 403 nor a membership 404 (an *object* 404 for the dummy path
  parameters is fine, told apart by ``request.tenant_access`` having been set), and no 5xx.

Path parameters other than the tenant get dummy values; bodies are empty. Each case runs on fresh
data, so a permitted destructive call (an owner's DELETE) cannot disturb the next.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from apps.tenants.access import permission_for_method
from apps.tenants.api.permissions import TenantMemberPermission
from apps.tenants.models import Membership
from apps.tenants.roles import Role, role_has_permission
from tests.factories import TenantFactory, UserFactory
from tests.tenants.public_views import PUBLIC_TENANT_VIEWS

API_PREFIX = "api/v1/t/<slug:tenant_slug>/"
CONSOLE_PREFIX = "a/<slug:tenant_slug>/"
ROLES = [Role.VIEWER, Role.ANALYST, Role.EDITOR, Role.ADMIN, Role.OWNER]
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
DUMMY = {"int": "987654", "uuid": str(uuid.UUID(int=1)), "path": "dummy/path"}


@dataclass(frozen=True)
class TenantRoute:
    route: str  # e.g. "api/v1/t/<slug:tenant_slug>/members/<int:membership_id>/"
    name: str | None  # "namespace:name" when namespaced
    callback: object

    @property
    def is_api(self) -> bool:
        return self.route.startswith(API_PREFIX)

    def url_for(self, slug: str) -> str:
        def fill(match):
            converter, name = match.group(1) or "str", match.group(2)
            if name == "tenant_slug":
                return slug
            return DUMMY.get(converter, "dummy-value")

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, self.route)


def _pattern_text(pattern) -> str | None:
    if isinstance(pattern, RoutePattern):
        return str(pattern)
    if isinstance(pattern, RegexPattern):
        return None  # regex routes cannot be filled reliably: tenant-scoped views must use path()
    return str(pattern)


def walk(patterns, prefix: str = "", namespace: str | None = None):
    """Yield (route, name, callback, is_regex) for every pattern, recursively."""
    for entry in patterns:
        text = _pattern_text(entry.pattern)
        route = prefix + (text if text is not None else str(entry.pattern.regex.pattern))
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield route, name, entry.callback, text is None


def tenant_routes(patterns=None) -> list[TenantRoute]:
    """Every URL pattern under the API and console tenant prefixes."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    found = []
    for route, name, callback, is_regex in walk(patterns):
        if route.startswith((API_PREFIX, CONSOLE_PREFIX)):
            found.append(TenantRoute(route=route if not is_regex else "REGEX:" + route, name=name, callback=callback))
    return found


def declared_permissions(callback) -> dict | None:
    """The view's ``tenant_permissions`` (function, Django CBV ``view_class``, or DRF ``cls``)."""
    for holder in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        perms = getattr(holder, "tenant_permissions", None) if holder is not None else None
        if isinstance(perms, dict):
            return perms
    return None


def is_public(route: TenantRoute) -> bool:
    if route.name is None:
        return False
    return route.name in PUBLIC_TENANT_VIEWS or route.name.rsplit(":", 1)[-1] in PUBLIC_TENANT_VIEWS


def implemented_methods(callback) -> set[str]:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return {"GET", "POST"}
    return {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)}


def methods_to_check(route: TenantRoute) -> list[str]:
    perms = declared_permissions(route.callback) or {}
    methods = {m.upper() for m in perms if m not in ("*", "HEAD", "OPTIONS")}
    if "*" in perms:
        methods |= implemented_methods(route.callback)
    return sorted(methods) or ["GET"]


def problems_with(route: TenantRoute) -> str | None:
    """Why this route fails the membership-check rule, or None."""
    if route.route.startswith("REGEX:"):
        return "uses a regex route; use path() so the matrix can fill its parameters"
    if is_public(route):
        return None
    perms = declared_permissions(route.callback)
    if perms is None:
        return "declares no tenant_permissions and is not in PUBLIC_TENANT_VIEWS"
    drf_class = getattr(route.callback, "cls", None)
    permission_classes = list(getattr(drf_class, "permission_classes", []))
    if route.is_api and drf_class is not None and TenantMemberPermission not in permission_classes:
        return "is an API view without TenantMemberPermission (mix in TenantScopedAPIMixin)"
    return None


ROUTES = tenant_routes()
CHECKED = [r for r in ROUTES if not is_public(r) and problems_with(r) is None]
CASES = [
    pytest.param(route, method, who, id=f"{route.name or route.route}-{method}-{who}")
    for route in CHECKED
    for method in methods_to_check(route)
    for who in ["outsider", "anonymous", *ROLES]
]


# --- the walker itself ---------------------------------------------------------------------------


def test_walker_finds_the_tenant_routes():
    names = {r.name for r in ROUTES}
    assert {"tenant-api:detail", "tenant-api:members", "tenant-console:home", "tenant-console:members"} <= names
    assert all(r.route.startswith((API_PREFIX, CONSOLE_PREFIX)) for r in ROUTES)


def test_the_after_sales_routes_are_in_the_matrix():
    """Issue 12: ship, cancel, refund, return, notes, bulk and packing slips, console and API."""
    checked = {r.name for r in CHECKED}
    wanted = {f"orders-console:{n}" for n in ("fulfil", "cancel", "refund", "return", "notes", "bulk", "packing-slips")}
    wanted |= {f"orders-api:order-{n}" for n in ("fulfil", "cancel", "refund", "return", "notes")}
    assert wanted <= checked, sorted(wanted - checked)


def test_the_staff_invoice_export_and_customer_api_routes_are_in_the_matrix():
    """Issue 12 "Running the orders": invoices, order exports and customers in the API."""
    checked = {r.name for r in CHECKED}
    wanted = {"invoices-api:order-invoices", "invoices-api:invoice-pdf"}
    wanted |= {f"orders-api:{n}" for n in ("export-create", "export-detail", "export-download")}
    wanted |= {"orders-api:customer-list", "orders-api:customer-detail"}
    assert wanted <= checked, sorted(wanted - checked)


def test_every_tenant_view_checks_membership_or_is_allow_listed():
    offenders = [f"/{r.route} ({r.name}): {problem}" for r in ROUTES if (problem := problems_with(r))]
    assert offenders == [], "Tenant-scoped views without a membership check:\n" + "\n".join(offenders)


def test_every_allow_listed_view_has_a_reason():
    for name, reason in PUBLIC_TENANT_VIEWS.items():
        assert isinstance(reason, str) and len(reason.strip()) >= 10, f"{name}: write down why it is public"


def test_walker_flags_an_unprotected_view():
    from django.http import HttpResponse
    from django.urls import include, path

    def naked(request, tenant_slug):
        return HttpResponse("everything")

    fake = [path("a/<slug:tenant_slug>/", include(([path("secret/", naked, name="secret-naked")], "fake")))]
    (route,) = tenant_routes(fake)
    assert route.url_for("shop") == "/a/shop/secret/"
    assert "declares no tenant_permissions" in problems_with(route)


# --- the matrix ----------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    tenant = TenantFactory(slug="matrix-shop")
    members = {}
    for role in ROLES:
        user = UserFactory(email=f"{role}@matrix.example")
        Membership.objects.create(tenant=tenant, user=user, role=role)
        members[role] = user
    elsewhere = TenantFactory(slug="elsewhere")
    outsider = UserFactory(email="outsider@matrix.example")
    Membership.objects.create(tenant=elsewhere, user=outsider, role=Role.OWNER)
    members["outsider"] = outsider
    return tenant, members


def send(client, route: TenantRoute, method: str, slug: str):
    url = route.url_for(slug)
    if route.is_api:
        return client.generic(method, url, data="{}" if method in UNSAFE else "", content_type="application/json")
    return client.generic(method, url, data="", content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("route, method, who", CASES)
def test_isolation_matrix(client, world, route, method, who):
    tenant, members = world
    client.raise_request_exception = False
    if who != "anonymous":
        client.force_login(members[who])
    response = send(client, route, method, tenant.slug)
    status = response.status_code
    passed_membership = hasattr(response.wsgi_request, "tenant_access")
    where = f"{method} {route.url_for(tenant.slug)} as {who}: {status}"

    if who == "anonymous":
        if route.is_api:
            assert status == 401, where
        else:
            assert status == 302 and "/accounts/login/" in response["Location"], where
        return
    if who == "outsider":
        assert status == 404 and not passed_membership, where
        return
    permission = permission_for_method(declared_permissions(route.callback), method)
    allowed = permission is not None and role_has_permission(who, permission)
    if not allowed:
        assert status == 403, f"{where} (role lacks {permission})"
        return
    # A destructive call may still ask for a fresh password/code (issue 10): that is past the role check.
    reauth = status == 403 and route.is_api and response.json()["error"]["code"] == "reauthentication_required"
    assert status != 403 or reauth, f"{where} (role has {permission})"
    assert passed_membership, f"{where}: refused before the membership check passed"
    assert status < 500, where


def test_cached_membership_is_per_tenant(client, world):
    """A cached membership of one tenant never opens another (the cache key carries the tenant)."""
    tenant, members = world
    owner = members[Role.OWNER]
    client.force_login(owner)
    assert client.get(f"/a/{tenant.slug}/").status_code == 200  # cached now
    assert client.get("/a/elsewhere/").status_code == 404
    client.force_login(members["outsider"])
    assert client.get("/a/elsewhere/").status_code == 200
    assert client.get(f"/a/{tenant.slug}/").status_code == 404
