"""Server-rendered pages: shop list, create, console home, members, settings, invitations."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.tenants import services
from apps.tenants.models import Invitation, Membership, Tenant
from tests.conftest import reauthenticate
from tests.factories import TenantFactory, UserFactory
from tests.tenants.helpers import verified_user

pytestmark = pytest.mark.django_db


def test_tenant_list_needs_login_and_shows_roles(client, tenant, make_member):
    assert client.get("/tenants/").status_code == 302
    user = make_member(tenant, "analyst")
    client.force_login(user)
    page = client.get("/tenants/").content.decode()
    assert tenant.name in page and "Analyst" in page and f"/a/{tenant.slug}/" in page


def test_empty_tenant_list(client, user):
    client.force_login(user)
    assert "No shops yet" in client.get("/tenants/").content.decode()


def test_create_tenant_page_prg_and_errors_beside_fields(client, user):
    client.force_login(user)
    assert client.get("/tenants/new/").status_code == 200
    response = client.post("/tenants/new/", {"name": "My Shop", "slug": "admin", "currency": "EUR", "time_zone": "UTC"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_slug_error"' in html and "reserved" in html
    assert 'value="My Shop"' in html  # what the user typed is kept
    assert not Tenant.objects.exists()
    response = client.post(
        "/tenants/new/", {"name": "My Shop", "slug": "my-shop", "currency": "EUR", "time_zone": "Bad/Zone"}
    )
    assert response.status_code == 400 and "IANA" in response.content.decode()
    response = client.post(
        "/tenants/new/", {"name": "My Shop", "slug": "my-shop", "currency": "EUR", "time_zone": "Europe/Berlin"}
    )
    assert response.status_code == 302 and response["Location"] == "/a/my-shop/"
    assert Membership.objects.get(tenant__slug="my-shop").role == "owner"


def test_console_anonymous_redirects_outsider_404(client, tenant, owner):
    response = client.get(f"/a/{tenant.slug}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(f"/a/{tenant.slug}/").status_code == 404
    assert client.get("/a/no-such-shop/").status_code == 404


@pytest.mark.parametrize(
    "role, visible, hidden",
    [
        ("owner", ["catalog/", "analytics/", "members/", "settings/"], []),
        ("editor", ["catalog/", "members/"], ["analytics/", "settings/"]),
        ("analyst", ["catalog/", "analytics/"], ["settings/"]),
        ("viewer", ["catalog/", "members/"], ["analytics/", "settings/"]),
    ],
)
def test_console_home_links_by_permission(client, tenant, make_member, role, visible, hidden):
    client.force_login(make_member(tenant, role))
    html = client.get(f"/a/{tenant.slug}/").content.decode()
    assert f'data-testid="my-role">{role}<' in html
    for suffix in visible:
        assert f'href="/a/{tenant.slug}/{suffix}"' in html
    for suffix in hidden:
        assert f'href="/a/{tenant.slug}/{suffix}"' not in html


def test_members_page_invite_prg_and_errors(client, tenant, owner, make_member, django_capture_on_commit_callbacks):
    viewer = make_member(tenant, "viewer")
    client.force_login(owner)
    url = f"/a/{tenant.slug}/members/"
    html = client.get(url).content.decode()
    assert viewer.email in html and "Invite someone" in html
    response = client.post(url, {"email": viewer.email, "role": "editor"})
    assert response.status_code == 400 and "already a member" in response.content.decode()
    response = client.post(url, {"email": "not an email", "role": "editor"})
    assert response.status_code == 400 and 'id="id_email_error"' in response.content.decode()
    response = client.post(url, {"email": "kim@example.com", "role": "wizard"})
    assert response.status_code == 400 and 'id="id_role_error"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "kim@example.com", "role": "editor"})
    assert response.status_code == 302 and response["Location"] == url
    assert len(mail.outbox) == 1
    html = client.get(url).content.decode()
    assert "Invitation sent to kim@example.com" in html and "kim@example.com" in html


def test_viewer_sees_members_without_manage_controls(client, tenant, owner, make_member):
    viewer = make_member(tenant, "viewer")
    client.force_login(viewer)
    html = client.get(f"/a/{tenant.slug}/members/").content.decode()
    assert owner.email in html and "Invite someone" not in html and "Change role" not in html
    assert client.post(f"/a/{tenant.slug}/members/", {"email": "x@example.com", "role": "viewer"}).status_code == 403
    assert not Invitation.objects.exists()


def test_change_role_remove_and_last_owner_messages(client, tenant, owner, make_member):
    editor = make_member(tenant, "editor")
    mid = Membership.objects.get(user=editor).pk
    client.force_login(owner)
    response = client.post(f"/a/{tenant.slug}/members/{mid}/role/", {"role": "admin"}, follow=True)
    assert "Role changed to admin" in response.content.decode()
    assert Membership.objects.get(pk=mid).role == "admin"
    own = Membership.objects.get(user=owner).pk
    response = client.post(f"/a/{tenant.slug}/members/{own}/role/", {"role": "viewer"}, follow=True)
    assert "last owner cannot be demoted" in response.content.decode()
    response = client.post(f"/a/{tenant.slug}/members/{mid}/role/", {"role": "nonsense"}, follow=True)
    assert "not a role" in response.content.decode()
    response = client.post(f"/a/{tenant.slug}/members/{mid}/remove/", follow=True)
    assert "Member removed" in response.content.decode()
    assert not Membership.objects.filter(pk=mid).exists()
    response = client.post(f"/a/{tenant.slug}/leave/", follow=True)
    assert "last owner" in response.content.decode()


def test_foreign_member_id_on_pages_changes_nothing(client, tenant, owner):
    victim = Membership.objects.create(tenant=TenantFactory(), user=UserFactory(), role="viewer")
    client.force_login(owner)
    response = client.post(f"/a/{tenant.slug}/members/{victim.pk}/role/", {"role": "owner"}, follow=True)
    assert "No such member" in response.content.decode()
    client.post(f"/a/{tenant.slug}/members/{victim.pk}/remove/")
    victim.refresh_from_db()
    assert victim.role == "viewer"


def test_revoke_and_leave(client, tenant, owner, make_member):
    invitation = services.invite_member(tenant=tenant, by=owner, email="k@example.com", role="viewer").invitation
    client.force_login(owner)
    response = client.post(f"/a/{tenant.slug}/invitations/{invitation.pk}/revoke/", follow=True)
    assert "Invitation revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    editor = make_member(tenant, "editor")
    client.force_login(editor)
    response = client.post(f"/a/{tenant.slug}/leave/")
    assert response.status_code == 302 and response["Location"] == "/tenants/"
    assert client.get(f"/a/{tenant.slug}/").status_code == 404


def test_settings_and_delete(client, tenant, owner, make_member):
    client.force_login(owner)
    url = f"/a/{tenant.slug}/settings/"
    assert "Delete this shop" in client.get(url).content.decode()
    response = client.post(url, {"name": "", "currency": "EUR", "time_zone": "UTC"})
    assert response.status_code == 400
    response = client.post(url, {"name": "New name", "currency": "USD", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert (tenant.name, tenant.currency, tenant.time_zone) == ("New name", "USD", "Asia/Tokyo")
    response = client.post(f"/a/{tenant.slug}/delete/", {"confirm_slug": tenant.slug})
    assert response["Location"].startswith("/accounts/reauthenticate/")  # a fresh password first
    assert Tenant.objects.filter(pk=tenant.pk).exists()
    reauthenticate(client)
    response = client.post(f"/a/{tenant.slug}/delete/", {"confirm_slug": "wrong"}, follow=True)
    assert "to confirm" in response.content.decode() and Tenant.objects.filter(pk=tenant.pk).exists()
    response = client.post(f"/a/{tenant.slug}/delete/", {"confirm_slug": tenant.slug})
    assert response.status_code == 302 and not Tenant.objects.filter(pk=tenant.pk).exists()


def test_admin_cannot_see_delete(client, tenant, owner, make_member):
    client.force_login(make_member(tenant, "admin"))
    assert "Delete this shop" not in client.get(f"/a/{tenant.slug}/settings/").content.decode()
    assert client.post(f"/a/{tenant.slug}/delete/", {"confirm_slug": tenant.slug}).status_code == 403


# --- invitation page -------------------------------------------------------------------------


@pytest.fixture
def issued(tenant, owner):
    return services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="editor")


def test_invitation_page_anonymous_offers_signup_and_login_with_next(client, issued):
    html = client.get(f"/invitations/{issued.token}/").content.decode()
    assert "Create an account" in html
    assert f"/accounts/signup/?next=/invitations/{issued.token}/" in html.replace("%2F", "/")
    assert f"/accounts/login/?next=/invitations/{issued.token}/" in html.replace("%2F", "/")


def test_invitation_page_accept(client, issued, tenant):
    kim = verified_user("kim@example.com")
    client.force_login(kim)
    assert "Accept and join" in client.get(f"/invitations/{issued.token}/").content.decode()
    response = client.post(f"/invitations/{issued.token}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/a/{tenant.slug}/"
    assert "Your role: editor" in response.content.decode()
    response = client.get(f"/invitations/{issued.token}/")
    assert response.status_code == 410 and "already been used" in response.content.decode()


def test_invitation_page_for_someone_else(client, issued):
    client.force_login(UserFactory(email="eve@example.com"))
    html = client.get(f"/invitations/{issued.token}/").content.decode()
    assert "was sent to kim@example.com" in html and "Accept and join" not in html
    response = client.post(f"/invitations/{issued.token}/")
    assert response.status_code == 403 and "another email address" in response.content.decode()
    assert Invitation.objects.get().status == "pending"


def test_invitation_page_expired_revoked_unknown(client, issued, tenant, owner):
    Invitation.objects.filter(pk=issued.invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.get(f"/invitations/{issued.token}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    response = client.get("/invitations/not-a-token/")
    assert response.status_code == 404 and "not valid" in response.content.decode()
    second = services.invite_member(tenant=tenant, by=owner, email="lee@example.com", role="viewer")
    services.revoke_invitation(tenant=tenant, by=owner, invitation_id=second.invitation.pk)
    response = client.get(f"/invitations/{second.token}/")
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_header_switcher_lists_my_shops(client, tenant, make_member):
    client.force_login(make_member(tenant, "viewer"))
    html = client.get("/tenants/").content.decode()
    assert 'class="tenant-switcher"' in html and f'href="/a/{tenant.slug}/"' in html


def test_members_page_query_count(client, tenant, owner, make_member, django_assert_max_num_queries):
    for _ in range(15):
        make_member(tenant, "editor")
    services.invite_member(tenant=tenant, by=owner, email="k@example.com", role="viewer")
    client.force_login(owner)
    client.get(f"/a/{tenant.slug}/members/")
    with django_assert_max_num_queries(10):
        assert client.get(f"/a/{tenant.slug}/members/").status_code == 200


def test_members_page_shows_recent_activity_to_managers_only(client, tenant, owner, make_member):
    viewer = make_member(tenant, "viewer")
    services.change_role(tenant=tenant, by=owner, membership_id=Membership.objects.get(user=viewer).pk, role="analyst")
    client.force_login(owner)
    html = client.get(f"/a/{tenant.slug}/members/").content.decode()
    assert "Recent activity" in html and f"changed the role of {viewer.email} from viewer to analyst." in html
    client.force_login(viewer)
    assert "Recent activity" not in client.get(f"/a/{tenant.slug}/members/").content.decode()
