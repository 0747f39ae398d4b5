"""Tenant resolution, the membership cache and its invalidation, the page mixin."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View

from apps.tenants import access
from apps.tenants.access import (
    MEMBERSHIP_CACHE_SECONDS,
    TenantViewMixin,
    _membership_cache_key,
    get_public_tenant,
    resolve_member_access,
)
from apps.tenants.models import Membership
from tests.factories import TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_cache_key_carries_tenant_and_user(tenant, owner):
    key = _membership_cache_key(owner.pk, tenant.slug)
    assert tenant.slug in key and str(owner.pk) in key
    assert cache.get(key) is None
    resolve_member_access(user=owner, slug=tenant.slug)
    assert cache.get(key) is not None
    assert 0 < MEMBERSHIP_CACHE_SECONDS <= 60


def test_membership_is_checked_through_the_cache(tenant, owner, django_assert_num_queries):
    resolve_member_access(user=owner, slug=tenant.slug)
    with django_assert_num_queries(0):
        assert resolve_member_access(user=owner, slug=tenant.slug).role == "owner"


def test_direct_model_changes_invalidate_the_cache(tenant, make_member):
    """Changes outside the services (the admin) are seen at once, not after the cache expires."""
    user = make_member(tenant, "viewer")
    assert resolve_member_access(user=user, slug=tenant.slug).role == "viewer"
    membership = Membership.objects.get(user=user)
    membership.role = "admin"
    membership.save()
    assert resolve_member_access(user=user, slug=tenant.slug).role == "admin"
    membership.delete()
    with pytest.raises(Http404):
        resolve_member_access(user=user, slug=tenant.slug)


def test_tenant_rename_refreshes_cached_tenant(tenant, owner):
    resolve_member_access(user=owner, slug=tenant.slug)
    tenant.name = "Renamed in admin"
    tenant.save()
    assert resolve_member_access(user=owner, slug=tenant.slug).tenant.name == "Renamed in admin"


@pytest.mark.parametrize(
    "make_user", [lambda: None, AnonymousUser, UserFactory], ids=["no-user", "anonymous", "non-member"]
)
def test_non_members_and_anonymous_get_404(tenant, make_user):
    with pytest.raises(Http404):
        resolve_member_access(user=make_user(), slug=tenant.slug)


def test_public_tenant(tenant):
    assert get_public_tenant(slug=tenant.slug) == tenant
    with pytest.raises(Http404):
        get_public_tenant(slug="nope-nope")


def test_permission_for_method():
    perms = {"GET": "catalog.view", "*": "catalog.edit"}
    assert access.permission_for_method(perms, "get") == "catalog.view"
    assert access.permission_for_method(perms, "HEAD") == "catalog.view"
    assert access.permission_for_method(perms, "DELETE") == "catalog.edit"
    assert access.permission_for_method({"GET": "catalog.view"}, "POST") is None


class Probe(TenantViewMixin, View):
    tenant_permissions = {"GET": "catalog.view", "POST": "catalog.edit"}

    def get(self, request, tenant_slug):
        return HttpResponse(f"{request.tenant.slug}:{request.tenant_access.role}")

    post = get


def test_tenant_view_mixin(tenant, make_member):
    from django.contrib.auth.models import AnonymousUser

    factory = RequestFactory()
    view = Probe.as_view()
    request = factory.get("/a/x/")
    request.user = AnonymousUser()
    assert view(request, tenant_slug=tenant.slug).status_code == 302
    viewer = make_member(tenant, "viewer")
    request = factory.get("/a/x/")
    request.user = viewer
    assert view(request, tenant_slug=tenant.slug).content.decode() == f"{tenant.slug}:viewer"
    request = factory.post("/a/x/")
    request.user = viewer
    with pytest.raises(PermissionDenied):
        view(request, tenant_slug=tenant.slug)
    request = factory.get("/a/x/")
    request.user = make_member(TenantFactory(), "owner")
    with pytest.raises(Http404):
        view(request, tenant_slug=tenant.slug)


def test_cold_resolution_is_one_unique_lookup_however_many_tenants_the_user_has():
    """An agency user in many shops: the membership is found by the (tenant, user) pair from the
    slug's tenant id, not by walking all of the user's memberships."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.tenants.access import invalidate_membership_cache, resolve_member_access
    from tests.factories import MembershipFactory, TenantFactory, UserFactory

    user = UserFactory()
    tenants = [TenantFactory(slug=f"agency-shop-{i}") for i in range(20)]
    for tenant in tenants:
        MembershipFactory(tenant=tenant, user=user, role="editor")
    invalidate_membership_cache(user_id=user.pk, slug=tenants[7].slug)
    with CaptureQueriesContext(connection) as queries:
        access = resolve_member_access(user=user, slug=tenants[7].slug)
    assert access.tenant == tenants[7] and access.role == "editor"
    assert len(queries) == 1
    assert '"tenants_membership"."tenant_id" = (SELECT' in queries[0]["sql"]
