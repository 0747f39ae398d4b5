"""``manage.py seed_platform`` at a small size: realistic, idempotent, and ``--reset``/``--clear``
touch only what the seed made (real PostgreSQL, real Argon2 hash)."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.core.management import CommandError, call_command
from django.db.models import Count

from apps.accounts.models import User
from apps.accounts.seed import SEED_EMAIL_DOMAIN, SEED_PASSWORD, seed_user_email
from apps.catalog.models import Product
from apps.tenants.models import AuditEntry, Invitation, Membership, Tenant
from apps.tenants.roles import Role
from apps.tenants.seed import seed_slug
from tests.factories import MembershipFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db
SMALL = {"users": 120, "tenants": 12, "products": 30, "power_users": 3, "power_tenants": 10}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_platform", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def seeded_counts() -> dict[str, int]:
    seeded_users = User.objects.filter(email__endswith="@" + SEED_EMAIL_DOMAIN)
    seeded_tenants = Tenant.objects.filter(slug__startswith="seed-")
    return {
        "users": seeded_users.count(),
        "tenants": seeded_tenants.count(),
        "memberships": Membership.objects.filter(tenant__in=seeded_tenants).count(),
        "invitations": Invitation.objects.filter(tenant__in=seeded_tenants).count(),
        "audit": AuditEntry.objects.filter(tenant__in=seeded_tenants).count(),
        "products": Product.objects.all_tenants().filter(tenant__in=seeded_tenants).count(),
    }


def test_seed_builds_a_realistic_platform():
    output = seed()
    assert output.startswith("seeded ")
    counts = seeded_counts()
    assert counts["users"] == 120 and counts["tenants"] == 12 and counts["products"] == 30
    # Verified primary emails and a real hash of the documented password.
    user = User.objects.get(email=seed_user_email(7))
    # (the configured hasher: Argon2 in production, a fast one in the test settings)
    assert user.check_password(SEED_PASSWORD) and identify_hasher(user.password).algorithm == get_hasher().algorithm
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert User.objects.exclude(name="").filter(email__endswith=SEED_EMAIL_DOMAIN).exists()  # names decrypt
    # Every tenant has 1-50 members and exactly its owner first; every role is used.
    sizes = Membership.objects.filter(tenant__slug__startswith="seed-").values("tenant").annotate(n=Count("id"))
    assert all(1 <= row["n"] <= 50 + SMALL["power_users"] for row in sizes) and len(sizes) == 12
    assert not Tenant.objects.filter(slug__startswith="seed-").exclude(memberships__role=Role.OWNER).exists()
    used_roles = set(Membership.objects.filter(tenant__slug__startswith="seed-").values_list("role", flat=True))
    assert used_roles == set(Role.values)
    # Tenant 0 is the largest and user 0 owns it; the power users are in power_tenants tenants.
    largest = Tenant.objects.get(slug=seed_slug(0))
    assert 50 <= Membership.objects.filter(tenant=largest).count() <= 50 + SMALL["power_users"]
    assert Membership.objects.get(tenant=largest, user__email=seed_user_email(0)).role == Role.OWNER
    for index in range(SMALL["power_users"]):
        assert Membership.objects.filter(user__email=seed_user_email(index)).count() >= SMALL["power_tenants"]
    # Invitations in several states, with the audit entries the services would have written.
    assert Invitation.objects.filter(tenant__slug__startswith="seed-", accepted_at=None, revoked_at=None).exists()
    actions = set(AuditEntry.objects.filter(tenant_slug__startswith="seed-").values_list("action", flat=True))
    assert {"tenant.create", "invitation.create", "invitation.accept", "tenant.update"} <= actions
    accepted = counts["memberships"] - 12  # every member but the owners joined by invitation
    assert (
        AuditEntry.objects.filter(
            tenant__in=Tenant.objects.filter(slug__startswith="seed-"), action="invitation.accept"
        ).count()
        == accepted
    )


def test_seed_is_idempotent_and_refuses_another_size_without_reset():
    seed()
    before = seeded_counts()
    assert seed().startswith("already seeded")
    assert seeded_counts() == before
    with pytest.raises(CommandError, match="--reset"):
        seed(users=150)
    assert seeded_counts() == before


def test_reset_and_clear_touch_only_what_the_seed_made():
    outsider_tenant = TenantFactory(slug="real-shop")
    outsider = UserFactory(email="real.person@example.com")
    MembershipFactory(tenant=outsider_tenant, user=outsider, role="owner")
    seed()
    # A real user who joined a seeded tenant keeps their account when the seed goes.
    MembershipFactory(tenant=Tenant.objects.get(slug=seed_slug(3)), user=outsider, role="viewer")
    seed(users=130, tenants=8, reset=True)
    counts = seeded_counts()
    assert counts["users"] == 130 and counts["tenants"] == 8
    call_command("seed_platform", clear=True, stdout=StringIO())
    assert seeded_counts() == dict.fromkeys(counts, 0)
    assert User.objects.filter(pk=outsider.pk).exists()
    assert Membership.objects.filter(tenant=outsider_tenant, user=outsider, role="owner").exists()


def test_bad_sizes_are_refused_with_a_clear_message_and_write_nothing():
    with pytest.raises(CommandError, match="users"):
        seed(users=3, power_users=3)
    assert seeded_counts()["users"] == 0
