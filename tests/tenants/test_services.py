"""Services: tenants, invitations, roles, last-owner rules, audit, cache invalidation, GDPR."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from apps.core.errors import ApplicationError, Invalid
from apps.tenants import selectors, services
from apps.tenants.access import _membership_cache_key, resolve_member_access
from apps.tenants.models import AuditEntry, Invitation, Membership, Tenant
from tests.factories import TenantFactory, UserFactory
from tests.tenants.helpers import verified_user

pytestmark = pytest.mark.django_db


def invite(tenant, by, email, role="viewer", capture=None):
    return services.invite_member(tenant=tenant, by=by, email=email, role=role)


# --- create / update / delete ----------------------------------------------------------------


def test_create_tenant_makes_creator_owner_and_audits(user):
    tenant = services.create_tenant(
        user=user, name="  Corner Shop ", slug="corner-shop", currency="usd", time_zone="Europe/Paris"
    )
    assert (tenant.name, tenant.slug, tenant.currency, tenant.time_zone) == (
        "Corner Shop",
        "corner-shop",
        "USD",
        "Europe/Paris",
    )
    assert Membership.objects.get(tenant=tenant, user=user).role == "owner"
    entry = selectors.list_audit_entries(tenant=tenant).get()
    assert (entry.action, entry.actor, entry.tenant_slug) == ("tenant.create", user, "corner-shop")


@pytest.mark.parametrize(
    "slug, message",
    [
        ("admin", "reserved"),
        ("api", "reserved"),
        ("static", "reserved"),
        ("ab", "3 to 50"),
        ("x" * 51, "3 to 50"),
        ("Corner", "lowercase"),
        ("café-shop", "lowercase"),
        ("shop_1", "lowercase"),
        ("-shop", "lowercase"),
        ("shop--x", "lowercase"),
        ("", "Choose an address"),
    ],
)
def test_create_tenant_refuses_bad_slugs(user, slug, message):
    with pytest.raises(Invalid) as exc:
        services.create_tenant(user=user, name="Shop", slug=slug)
    assert message in " ".join(exc.value.details["slug"])
    assert Tenant.objects.count() == 0


def test_create_tenant_refuses_duplicates_and_bad_fields(user):
    services.create_tenant(user=user, name="One", slug="taken")
    with pytest.raises(Invalid) as exc:
        services.create_tenant(user=user, name="Two", slug="taken")
    assert "already taken" in exc.value.details["slug"][0]
    with pytest.raises(Invalid) as exc:
        services.create_tenant(user=user, name="", slug="fine-slug", currency="XXX", time_zone="Mars/Olympus")
    assert set(exc.value.details) == {"name", "currency", "time_zone"}
    with pytest.raises(Invalid) as exc:
        services.create_tenant(user=user, name="n" * 101, slug="fine-slug")
    assert "at most 100" in exc.value.details["name"][0]
    with pytest.raises(Invalid):
        services.create_tenant(user=user, name="bad\u0000name", slug="fine-slug")
    assert Tenant.objects.count() == 1


def test_update_tenant_needs_tenant_edit_and_refreshes_cache(tenant, owner, make_member):
    viewer = make_member(tenant, "viewer")
    old_name = tenant.name
    resolve_member_access(user=viewer, slug=tenant.slug)  # caches the tenant object
    updated = services.update_tenant(tenant=tenant, by=owner, name="Renamed", currency="GBP")
    assert (updated.name, updated.currency) == ("Renamed", "GBP")
    assert resolve_member_access(user=viewer, slug=tenant.slug).tenant.name == "Renamed"
    with pytest.raises(ApplicationError) as exc:
        services.update_tenant(tenant=tenant, by=viewer, name="Nope")
    assert exc.value.status == 403
    with pytest.raises(Invalid):
        services.update_tenant(tenant=tenant, by=owner, time_zone="Nowhere/City")
    tenant.refresh_from_db()
    assert tenant.name == "Renamed" and tenant.time_zone == "Europe/Paris"
    assert AuditEntry.objects.get(action="tenant.update").metadata == {
        "name": [old_name, "Renamed"],
        "currency": ["EUR", "GBP"],
    }


def test_delete_tenant_owner_only_and_audit_survives(tenant, owner, make_member):
    admin = make_member(tenant, "admin")
    with pytest.raises(ApplicationError) as exc:
        services.delete_tenant(tenant=tenant, by=admin)
    assert exc.value.status == 403
    slug = tenant.slug
    services.delete_tenant(tenant=tenant, by=owner)
    assert not Tenant.objects.filter(slug=slug).exists()
    entry = AuditEntry.objects.get(action="tenant.delete")
    assert entry.tenant is None and entry.tenant_slug == slug and entry.actor == owner


def test_outsider_gets_not_found_from_services(tenant, owner):
    stranger = UserFactory()
    with pytest.raises(ApplicationError) as exc:
        services.invite_member(tenant=tenant, by=stranger, email="x@example.com", role="viewer")
    assert exc.value.status == 404


# --- invitations -------------------------------------------------------------------------------


def test_invite_sends_email_with_a_working_link(tenant, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.invite_member(tenant=tenant, by=owner, email=" Kim@Example.COM ", role="editor")
    invitation = issued.invitation
    assert invitation.email == "kim@example.com" and invitation.role == "editor"
    assert invitation.token_hash == services.hash_token(issued.token) and issued.token not in invitation.token_hash
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@example.com"]
    assert f"/invitations/{issued.token}/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="invitation.create", target="kim@example.com").exists()


@pytest.mark.parametrize(
    "email, role, field, message",
    [
        ("not-an-email", "viewer", "email", "valid email"),
        ("a" * 250 + "@example.com", "viewer", "email", "at most 254"),
        ("kim@example.com", "superuser", "role", "not a role"),
        ("", "viewer", "email", "Enter the email"),
    ],
)
def test_invite_refuses_bad_input(tenant, owner, email, role, field, message):
    with pytest.raises(Invalid) as exc:
        services.invite_member(tenant=tenant, by=owner, email=email, role=role)
    assert message in " ".join(exc.value.details[field])
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize(
    ("inviter", "invitee", "role", "message"),
    [
        ("owner", "owner", "viewer", "yourself"),
        ("owner", "viewer", "viewer", "already a member"),
        ("admin", None, "owner", "Only an owner"),
    ],
)
def test_invite_refuses_self_members_and_admin_inviting_owner(
    tenant, owner, make_member, inviter, invitee, role, message
):
    people = {"owner": owner, "admin": make_member(tenant, "admin"), "viewer": make_member(tenant, "viewer")}
    email = {"owner": owner.email.upper(), "viewer": people["viewer"].email, None: "new@example.com"}[invitee]
    with pytest.raises(Invalid) as exc:
        services.invite_member(tenant=tenant, by=people[inviter], email=email, role=role)
    assert message in exc.value.message
    assert not Invitation.objects.exists()


def test_invite_refuses_viewers_and_a_second_pending_invitation(tenant, owner, make_member):
    admin = make_member(tenant, "admin")
    viewer = make_member(tenant, "viewer")
    with pytest.raises(ApplicationError) as exc:
        services.invite_member(tenant=tenant, by=viewer, email="new@example.com", role="viewer")
    assert exc.value.status == 403
    services.invite_member(tenant=tenant, by=admin, email="new@example.com", role="admin")
    with pytest.raises(Invalid) as exc:
        services.invite_member(tenant=tenant, by=owner, email="new@example.com", role="viewer")
    assert "pending invitation" in exc.value.message
    assert Invitation.objects.count() == 1


def test_expired_invitation_is_replaced_on_reinvite(tenant, owner):
    first = services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer").invitation
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    second = services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="editor").invitation
    first.refresh_from_db()
    assert first.status == "revoked" and second.status == "pending"


def test_accept_invitation_creates_membership_and_closes_it(tenant, owner):
    issued = services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="analyst")
    kim = verified_user("kim@example.com")
    with pytest.raises(Http404):
        resolve_member_access(user=kim, slug=tenant.slug)  # cached as "not a member"
    membership = services.accept_invitation(token=issued.token, user=kim)
    assert membership.role == "analyst"
    # the cache entry from before was invalidated
    assert resolve_member_access(user=kim, slug=tenant.slug).role == "analyst"
    with pytest.raises(ApplicationError) as exc:
        services.accept_invitation(token=issued.token, user=kim)
    assert exc.value.code == "invitation_used" and exc.value.status == 410


def test_accept_invitation_refuses_other_email_expired_revoked_unknown(tenant, owner):
    issued = services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer")
    other = UserFactory(email="not-kim@example.com")
    with pytest.raises(ApplicationError) as exc:
        services.accept_invitation(token=issued.token, user=other)
    assert exc.value.code == "invitation_email_mismatch"
    assert not Membership.objects.filter(user=other).exists()
    kim = verified_user("KIM@example.com")
    Invitation.objects.filter(pk=issued.invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ApplicationError) as exc:
        services.accept_invitation(token=issued.token, user=kim)
    assert exc.value.code == "invitation_expired"
    issued2 = services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer")
    services.revoke_invitation(tenant=tenant, by=owner, invitation_id=issued2.invitation.pk)
    with pytest.raises(ApplicationError) as exc:
        services.accept_invitation(token=issued2.token, user=kim)
    assert exc.value.code == "invitation_revoked"
    with pytest.raises(ApplicationError) as exc:
        services.accept_invitation(token="nonsense", user=kim)
    assert exc.value.code == "invitation_not_found"
    assert not Membership.objects.filter(user=kim).exists()


def test_revoke_invitation_of_another_tenant_is_not_found(tenant, owner):
    other_tenant = TenantFactory()
    other_owner = UserFactory()
    Membership.objects.create(tenant=other_tenant, user=other_owner, role="owner")
    theirs = services.invite_member(tenant=other_tenant, by=other_owner, email="z@example.com", role="viewer")
    with pytest.raises(ApplicationError) as exc:
        services.revoke_invitation(tenant=tenant, by=owner, invitation_id=theirs.invitation.pk)
    assert exc.value.status == 404
    theirs.invitation.refresh_from_db()
    assert theirs.invitation.status == "pending"
    services.revoke_invitation(tenant=other_tenant, by=other_owner, invitation_id=theirs.invitation.pk)
    with pytest.raises(ApplicationError) as exc:
        services.revoke_invitation(tenant=other_tenant, by=other_owner, invitation_id=theirs.invitation.pk)
    assert exc.value.status == 409


# --- roles and the last owner ------------------------------------------------------------------


def membership_of(tenant, user):
    return Membership.objects.get(tenant=tenant, user=user)


def test_change_role_rules(tenant, owner, make_member):
    admin = make_member(tenant, "admin")
    editor = make_member(tenant, "editor")
    m_editor = membership_of(tenant, editor)
    assert services.change_role(tenant=tenant, by=admin, membership_id=m_editor.pk, role="analyst").role == "analyst"
    with pytest.raises(ApplicationError) as exc:
        services.change_role(tenant=tenant, by=admin, membership_id=m_editor.pk, role="owner")
    assert exc.value.status == 403
    with pytest.raises(ApplicationError):
        services.change_role(tenant=tenant, by=admin, membership_id=membership_of(tenant, owner).pk, role="viewer")
    with pytest.raises(Invalid):
        services.change_role(tenant=tenant, by=owner, membership_id=m_editor.pk, role="king")
    with pytest.raises(ApplicationError) as exc:
        services.change_role(tenant=tenant, by=owner, membership_id=membership_of(tenant, owner).pk, role="admin")
    assert exc.value.code == "last_owner"
    assert membership_of(tenant, owner).role == "owner"
    entry = AuditEntry.objects.get(action="member.role_change")
    assert entry.metadata == {"from": "editor", "to": "analyst"} and entry.target_user == editor


def test_two_owners_one_may_step_down(tenant, owner, make_member):
    second = make_member(tenant, "owner")
    services.change_role(tenant=tenant, by=owner, membership_id=membership_of(tenant, owner).pk, role="admin")
    with pytest.raises(ApplicationError) as exc:
        services.change_role(tenant=tenant, by=second, membership_id=membership_of(tenant, second).pk, role="viewer")
    assert exc.value.code == "last_owner"


def test_change_role_with_another_tenants_member_id_changes_nothing(tenant, owner):
    other_member = Membership.objects.create(tenant=TenantFactory(), user=UserFactory(), role="viewer")
    with pytest.raises(ApplicationError) as exc:
        services.change_role(tenant=tenant, by=owner, membership_id=other_member.pk, role="admin")
    assert exc.value.status == 404
    other_member.refresh_from_db()
    assert other_member.role == "viewer"
    with pytest.raises(ApplicationError):
        services.remove_member(tenant=tenant, by=owner, membership_id=other_member.pk)
    assert Membership.objects.filter(pk=other_member.pk).exists()
    with pytest.raises(ApplicationError):
        services.change_role(tenant=tenant, by=owner, membership_id="1; drop", role="admin")


def test_remove_member_and_last_owner(tenant, owner, make_member):
    admin = make_member(tenant, "admin")
    viewer = make_member(tenant, "viewer")
    resolve_member_access(user=viewer, slug=tenant.slug)
    assert cache.get(_membership_cache_key(viewer.pk, tenant.slug)) is not None
    services.remove_member(tenant=tenant, by=admin, membership_id=membership_of(tenant, viewer).pk)
    assert cache.get(_membership_cache_key(viewer.pk, tenant.slug)) is None
    with pytest.raises(ApplicationError):
        services.remove_member(tenant=tenant, by=admin, membership_id=membership_of(tenant, owner).pk)
    with pytest.raises(ApplicationError) as exc:
        services.remove_member(tenant=tenant, by=owner, membership_id=membership_of(tenant, owner).pk)
    assert exc.value.code == "last_owner"
    assert AuditEntry.objects.filter(action="member.remove", target_user=viewer).exists()


def test_leave_tenant(tenant, owner, make_member):
    editor = make_member(tenant, "editor")
    services.leave_tenant(tenant=tenant, user=editor)
    assert not Membership.objects.filter(user=editor).exists()
    with pytest.raises(ApplicationError) as exc:
        services.leave_tenant(tenant=tenant, user=owner)
    assert exc.value.code == "last_owner"
    with pytest.raises(ApplicationError) as exc:
        services.leave_tenant(tenant=tenant, user=editor)
    assert exc.value.status == 404


# --- GDPR --------------------------------------------------------------------------------------


def test_exports(tenant, owner, make_member):
    editor = make_member(tenant, "editor")
    services.change_role(tenant=tenant, by=owner, membership_id=membership_of(tenant, editor).pk, role="viewer")
    rows = services.export_memberships(user=editor)
    assert rows == [
        {"tenant": tenant.slug, "tenant_name": tenant.name, "role": "viewer", "joined_at": rows[0]["joined_at"]}
    ]
    owner_rows = services.export_audit_entries(user=owner)
    assert [(r["action"], r["by_me"]) for r in owner_rows] == [("member.role_change", True)]
    assert [(r["action"], r["by_me"]) for r in services.export_audit_entries(user=editor)] == [
        ("member.role_change", False)
    ]


def test_remove_user_from_tenants(make_member):
    user = UserFactory()
    services.create_tenant(user=user, name="Solo", slug="solo-shop")
    shared = services.create_tenant(user=user, name="Shared", slug="shared-shop")
    helper = make_member(shared, "editor")
    elsewhere = TenantFactory()
    make_member(elsewhere, "owner")
    Membership.objects.create(tenant=elsewhere, user=user, role="viewer")
    with pytest.raises(ApplicationError) as exc:
        services.remove_user_from_tenants(user=user)
    assert exc.value.code == "last_owner" and exc.value.details == {"tenants": ["shared-shop"]}
    assert Membership.objects.filter(user=user).count() == 3  # nothing changed
    services.change_role(tenant=shared, by=user, membership_id=membership_of(shared, helper).pk, role="owner")
    result = services.remove_user_from_tenants(user=user)
    assert result == {
        "left": sorted(result["left"], key=lambda s: [shared.slug, elsewhere.slug].index(s)),
        "deleted": ["solo-shop"],
    }
    assert set(result["left"]) == {"shared-shop", elsewhere.slug}
    assert not Membership.objects.filter(user=user).exists()
    assert not Tenant.objects.filter(slug="solo-shop").exists()


def test_anonymise_audit_actor(tenant, owner, make_member):
    editor = make_member(tenant, "editor")
    services.change_role(tenant=tenant, by=owner, membership_id=membership_of(tenant, editor).pk, role="viewer")
    services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer")
    changed = services.anonymise_audit_actor(user=owner)
    assert changed >= 2
    assert not AuditEntry.objects.filter(actor=owner).exists()
    assert not AuditEntry.objects.filter(actor_email=owner.email).exists()
    services.anonymise_audit_actor(user=editor)
    entry = AuditEntry.objects.get(action="member.role_change")
    assert entry.target == "(erased user)" and entry.target_user is None
    assert services.export_audit_entries(user=owner) == []


def test_audit_selectors(tenant, owner, make_member):
    editor = make_member(tenant, "editor")
    services.change_role(tenant=tenant, by=owner, membership_id=membership_of(tenant, editor).pk, role="viewer")
    services.leave_tenant(tenant=tenant, user=editor)
    assert [e.action for e in selectors.list_audit_entries(tenant=tenant)] == ["member.leave", "member.role_change"]
    assert [e.action for e in selectors.list_audit_entries_by_actor(user=owner)] == ["member.role_change"]
    assert selectors.get_membership_role(tenant=tenant, user=editor) is None
    assert selectors.get_member(tenant=tenant, membership_id="x") is None
    assert list(selectors.list_memberships_for_user(user=None)) == []


def test_accept_invitation_needs_a_verified_email(tenant, owner):
    issued = services.invite_member(tenant=tenant, by=owner, email="kim@example.com", role="viewer")
    unverified = UserFactory(email="kim@example.com")
    with pytest.raises(ApplicationError) as exc:
        services.accept_invitation(token=issued.token, user=unverified)
    assert exc.value.code == "email_unverified"
    assert not Membership.objects.filter(user=unverified).exists()
    issued.invitation.refresh_from_db()
    assert issued.invitation.status == "pending"


def test_invitations_are_capped_per_tenant_and_hour(tenant, owner, settings):
    settings.TENANT_INVITATIONS_PER_HOUR = 2
    services.invite_member(tenant=tenant, by=owner, email="a@example.com", role="viewer")
    services.invite_member(tenant=tenant, by=owner, email="b@example.com", role="viewer")
    with pytest.raises(ApplicationError) as exc:
        services.invite_member(tenant=tenant, by=owner, email="c@example.com", role="viewer")
    assert exc.value.status == 429 and exc.value.code == "too_many_invitations"
    assert Invitation.objects.count() == 2
    Invitation.objects.update(created_at=timezone.now() - timedelta(hours=2))
    services.invite_member(tenant=tenant, by=owner, email="c@example.com", role="viewer")


def test_purge_closed_invitations_keeps_pending_and_recent(tenant, owner):
    from apps.tenants.tasks import purge_closed_invitations

    old = timezone.now() - timedelta(days=40)
    pending = services.invite_member(tenant=tenant, by=owner, email="p@example.com", role="viewer").invitation
    expired = services.invite_member(tenant=tenant, by=owner, email="e@example.com", role="viewer").invitation
    revoked = services.invite_member(tenant=tenant, by=owner, email="r@example.com", role="viewer").invitation
    recent = services.invite_member(tenant=tenant, by=owner, email="n@example.com", role="viewer").invitation
    Invitation.objects.filter(pk=expired.pk).update(expires_at=old)
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=old)
    Invitation.objects.filter(pk=recent.pk).update(revoked_at=timezone.now())
    assert purge_closed_invitations.delay(days=30).get() == 2
    assert set(Invitation.objects.values_list("pk", flat=True)) == {pending.pk, recent.pk}
    assert purge_closed_invitations.delay(days=30).get() == 0  # idempotent
    with pytest.raises(Invalid):
        services.purge_closed_invitations(older_than_days=0)


def test_remove_user_from_tenants_takes_the_same_queries_for_3_or_30_tenants(make_member):
    """Erasure of someone in hundreds of shops is bounded: the queries do not grow per tenant."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (3, 30):
        user = UserFactory()
        for i in range(size):
            tenant = TenantFactory(slug=f"agency-{size}-{i}")
            make_member(tenant, "owner")
            Membership.objects.create(tenant=tenant, user=user, role="editor")
        with CaptureQueriesContext(connection) as queries:
            result = services.remove_user_from_tenants(user=user)
        assert len(result["left"]) == size and not Membership.objects.filter(user=user).exists()
        assert AuditEntry.objects.filter(actor=user, action="member.erase").count() == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
