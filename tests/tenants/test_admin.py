"""The Django admin for platform staff: lists with filters and search, and recorded changes."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry

from apps.tenants import services
from apps.tenants.access import resolve_member_access
from apps.tenants.models import AuditEntry, Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True, email="staff@bazaar.local")
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/tenants/tenant/?q={slug}",
        "/admin/tenants/membership/?tenant__id__exact={pk}&role=owner",
        "/admin/tenants/invitation/?q=kim",
        "/admin/tenants/auditentry/?tenant__id__exact={pk}",
        "/admin/tenants/tenant/{pk}/change/",
    ],
    ids=["tenant-search", "membership-filter", "invitation-search", "audit-filter", "tenant-change"],
)
def test_admin_lists_filter_and_search_pages_open(staff_client, tenant, owner, url):
    services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer")
    AuditEntry.objects.create(tenant=tenant, tenant_slug=tenant.slug, action="tenant.create")
    url = url.format(slug=tenant.slug, pk=tenant.pk)
    response = staff_client.get(url)
    assert response.status_code == 200, url


def test_admin_lists_filter_and_search(staff_client, tenant, owner):
    services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer")
    AuditEntry.objects.create(tenant=tenant, tenant_slug=tenant.slug, action="tenant.create")
    assert owner.email in staff_client.get(f"/admin/tenants/membership/?q={tenant.slug}").content.decode()
    invitation_page = staff_client.get("/admin/tenants/invitation/").content.decode()
    assert "kim@example.com" in invitation_page
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "tenants", "model_name": "membership", "field_name": "tenant", "term": tenant.slug},
    )
    assert response.status_code == 200 and response.json()["results"][0]["id"] == str(tenant.pk)


def test_audit_entries_are_read_only_in_admin(staff_client, tenant):
    entry = AuditEntry.objects.create(tenant=tenant, tenant_slug=tenant.slug, action="tenant.create")
    assert staff_client.get("/admin/tenants/auditentry/add/").status_code == 403
    response = staff_client.post(f"/admin/tenants/auditentry/{entry.pk}/change/", {"action": "forged"})
    entry.refresh_from_db()
    assert entry.action == "tenant.create" and response.status_code in (200, 403)


def test_staff_change_is_logged_and_takes_effect_at_once(staff_client, tenant, owner, make_member):
    viewer = make_member(tenant, "viewer")
    membership = Membership.objects.get(user=viewer)
    assert resolve_member_access(user=viewer, slug=tenant.slug).role == "viewer"  # cached
    response = staff_client.post(
        f"/admin/tenants/membership/{membership.pk}/change/",
        {"tenant": tenant.pk, "user": viewer.pk, "role": "editor"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert membership.role == "editor"
    entry = LogEntry.objects.get(object_id=str(membership.pk), content_type__model="membership")
    assert entry.user == staff_client.staff and entry.action_flag == CHANGE and "Role" in entry.get_change_message()
    assert resolve_member_access(user=viewer, slug=tenant.slug).role == "editor"
    staff_entry = AuditEntry.objects.get(action="staff.membership_change")
    assert staff_entry.actor == staff_client.staff and staff_entry.tenant == tenant
    assert staff_entry.metadata == {"role": "editor"}


def test_staff_delete_of_a_membership_is_in_the_tenant_trail(staff_client, tenant, owner, make_member):
    viewer = make_member(tenant, "viewer")
    membership = Membership.objects.get(user=viewer)
    response = staff_client.post(f"/admin/tenants/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="staff.membership_delete", tenant=tenant).exists()
    assert LogEntry.objects.filter(object_id=str(membership.pk), action_flag=DELETION).exists()
