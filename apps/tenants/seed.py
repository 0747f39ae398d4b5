"""Seeded tenants for ``manage.py seed_platform``: 1–50 members in every role, a few users in
hundreds of tenants, invitations in every state and the audit trail those changes would leave.

Seeded tenants are recognisable by their slug alone (``seed-00042``), so ``delete_seed_tenants``
removes exactly what the seed made. Tenant 0 is always the largest (50 members, or every user),
and user 0 owns it and belongs to ``power_tenants`` tenants: the benchmark's fixed handles.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from apps.core.bulk import analyze_tables, copy_rows, require_postgres, reserve_ids
from apps.tenants.models import AuditEntry, Invitation, Membership, Tenant
from apps.tenants.roles import Role

SEED_SLUG_PREFIX = "seed-"
SEED_SLUG_REGEX = r"^seed-[0-9]{5,}$"
INVITEE_DOMAIN = "seed.bazaar.invalid"
MAX_MEMBERS = 50
# (smallest, largest, weight): most shops are a handful of people, a few are fifty.
TEAM_SIZES = [(1, 3, 40), (4, 10, 35), (11, 25, 17), (26, MAX_MEMBERS, 8)]
EXTRA_ROLES = [Role.VIEWER, Role.EDITOR, Role.ANALYST, Role.ADMIN, Role.OWNER]
EXTRA_ROLE_WEIGHTS = [35, 30, 15, 15, 5]
SHOP_WORDS = ["Corner", "Harbour", "Maple", "Atlas", "Copper", "Meadow", "Granite", "Willow", "Summit", "Lantern"]
SHOP_KINDS = ["Shop", "Outfitters", "Supply", "Goods", "Studio", "Market", "Works", "Trading"]
CURRENCIES = ["EUR", "EUR", "EUR", "USD", "GBP", "SEK", "CHF"]
ZONES = ["Europe/Paris", "Europe/Berlin", "Europe/London", "America/New_York", "Europe/Stockholm", "UTC"]


# COPY fills no Django defaults: the columns without a value are written empty (or 0), as the model
# would (the nullable ones, suspended_at and domain, stay NULL).
TEXT_DEFAULTS = {
    "brand_colour": "",
    "accent_colour": "",
    "tagline": "",
    "suspension_reason": "",
    "logo": "",
    "logo_width": 0,
    "logo_height": 0,
}


@dataclass
class SeededTenant:
    """What the seed made for one tenant, before it is written."""

    id: int
    slug: str
    created_at: object
    members: dict[int, str]  # user id -> role, in the order they joined


def create_bare_tenant(*, slug: str) -> Tenant:
    """A tenant with no members, named after ``slug`` (``seed_catalog --create-tenant``, benchmarks)."""
    return Tenant.objects.create(slug=slug, name=slug.replace("-", " ").title())


def seed_slug(index: int) -> str:
    """The slug of seeded tenant number ``index`` (0-based)."""
    return f"{SEED_SLUG_PREFIX}{index:05d}"


def seeded_tenants():
    """The seeded tenants (a queryset), by id."""
    return Tenant.objects.filter(slug__regex=SEED_SLUG_REGEX).order_by("pk")


def list_seed_tenant_ids() -> list[int]:
    """The ids of the seeded tenants."""
    return list(seeded_tenants().values_list("pk", flat=True))


def count_seed_tenants() -> int:
    """How many seeded tenants exist."""
    return seeded_tenants().count()


def _team_size(rng: random.Random) -> int:
    low, high, _ = rng.choices(TEAM_SIZES, weights=[w for *_, w in TEAM_SIZES])[0]
    return rng.randint(low, high)


def plan_tenants(*, ids: list[int], user_ids: list[int], rng: random.Random, power_users: int, power_tenants: int):
    """Decide every tenant's members and roles (no database access). Returns ``[SeededTenant]``."""
    now = timezone.now()
    tenants = []
    for index, tenant_id in enumerate(ids):
        # Power users join below, never as the owner an erasure would have to wait for.
        pool = user_ids[power_users:] or user_ids
        if index == 0:
            others = [u for u in pool if u != user_ids[0]]
            chosen = [user_ids[0], *rng.sample(others, min(len(pool), MAX_MEMBERS) - 1)]
        else:
            chosen = rng.sample(pool, min(len(pool), _team_size(rng)))
        size = len(chosen)
        roles = [Role.OWNER] + [Role.ADMIN, Role.EDITOR, Role.ANALYST, Role.VIEWER][: max(0, size - 1)]
        roles += rng.choices(EXTRA_ROLES, weights=EXTRA_ROLE_WEIGHTS, k=max(0, size - len(roles)))
        members = dict(zip(chosen, roles, strict=True))
        created = now - timedelta(minutes=rng.randint(24 * 60, 3 * 365 * 24 * 60))
        tenants.append(SeededTenant(id=tenant_id, slug=seed_slug(index), created_at=created, members=members))
    # Agencies and consultants: a few users belong to hundreds of shops.
    for power_user in user_ids[: max(0, power_users)]:
        picks = tenants[:power_tenants] if power_user == user_ids[0] else rng.sample(tenants, power_tenants)
        for tenant in picks:
            tenant.members.setdefault(power_user, rng.choice([Role.ADMIN, Role.EDITOR, Role.ANALYST]))
    return tenants


def _tenant_rows(tenants, rng):
    for tenant in tenants:
        name = f"{rng.choice(SHOP_WORDS)} {rng.choice(SHOP_KINDS)} {tenant.slug[len(SEED_SLUG_PREFIX) :]}"
        yield (tenant.id, uuid.uuid4(), name, tenant.slug, rng.choice(CURRENCIES), rng.choice(ZONES))


def _audit_row(tenant, actor: int, emails: dict[int, str], action: str, target: str, at, *, user=None, meta=None):
    """One audit row (COPY column order) as ``record_audit`` would have written it."""
    return (tenant.id, tenant.slug, actor, emails[actor], action, target, user, meta or {}, at)


def _history(tenants, emails: dict[int, str], rng: random.Random, power: set[int]):
    """Membership rows and the audit entries the same changes leave, as the services write them."""
    memberships, audit = [], []
    for tenant in tenants:
        owner = next(iter(tenant.members))
        audit.append(_audit_row(tenant, owner, emails, "tenant.create", tenant.slug, tenant.created_at))
        for position, (user_id, role) in enumerate(tenant.members.items()):
            joined = tenant.created_at + timedelta(hours=position * rng.randint(1, 48))
            memberships.append((tenant.id, user_id, role, joined, joined))
            if user_id == owner:
                continue
            email, invited = emails[user_id], joined - timedelta(hours=rng.randint(1, 72))
            audit.append(_audit_row(tenant, owner, emails, "invitation.create", email, invited, meta={"role": role}))
            audit.append(
                _audit_row(
                    tenant, user_id, emails, "invitation.accept", email, joined, user=user_id, meta={"role": role}
                )
            )
            for _ in range(2 if user_id in power else 0):  # agencies edit the shops they run
                audit.append(_audit_row(tenant, user_id, emails, "tenant.update", tenant.slug, joined))
            if rng.random() < 0.1:
                meta = {"from": Role.VIEWER, "to": role}
                audit.append(
                    _audit_row(tenant, owner, emails, "member.role_change", email, joined, user=user_id, meta=meta)
                )
    return memberships, audit


def _invitations(tenants, emails: dict[int, str], rng: random.Random):
    """Invitations in every state for about 40 % of tenants, and their audit entries."""
    now = timezone.now()
    invitations, audit = [], []
    for tenant in tenants:
        if rng.random() >= 0.4:
            continue
        owner = next(iter(tenant.members))
        for number in range(rng.randint(1, 3)):
            email = f"invitee-{tenant.slug}-{number}@{INVITEE_DOMAIN}"
            role = rng.choice([Role.VIEWER, Role.EDITOR, Role.ANALYST])
            state = rng.choices(["pending", "expired", "accepted", "revoked"], weights=[60, 15, 15, 10])[0]
            created = now - timedelta(days=rng.randint(1, 5) if state == "pending" else rng.randint(8, 60))
            token_hash = hashlib.sha256(secrets.token_bytes(24)).hexdigest()
            accepted = created + timedelta(days=1) if state == "accepted" else None
            revoked = created + timedelta(days=1) if state == "revoked" else None
            invitations.append(
                (tenant.id, email, role, token_hash, owner, created, created + timedelta(days=7), accepted, revoked)
            )
            audit.append(_audit_row(tenant, owner, emails, "invitation.create", email, created, meta={"role": role}))
    return invitations, audit


def insert_seed_tenants(
    *, users: list[tuple[int, str]], count: int, rng: random.Random, power_users: int = 20, power_tenants: int = 300
) -> dict[str, int]:
    """COPY ``count`` tenants with members, invitations and audit entries; returns row counts."""
    require_postgres("Seeding tenants")
    emails = dict(users)
    ids = reserve_ids(Tenant._meta.db_table, count)
    tenants = plan_tenants(
        ids=ids,
        user_ids=[u for u, _ in users],
        rng=rng,
        power_users=power_users,
        power_tenants=min(power_tenants, count),
    )
    now = timezone.now()
    copy_rows(
        Tenant._meta.db_table,
        [
            "id",
            "public_id",
            "name",
            "slug",
            "currency",
            "time_zone",
            "created_at",
            "updated_at",
            *TEXT_DEFAULTS,
        ],
        (
            (*row, tenant.created_at, now, *TEXT_DEFAULTS.values())
            for row, tenant in zip(_tenant_rows(tenants, rng), tenants, strict=True)
        ),
    )
    power = {u for u, _ in users[: max(0, power_users)]}
    memberships, audit = _history(tenants, emails, rng, power)
    invitations, invitation_audit = _invitations(tenants, emails, rng)
    copy_rows(Membership._meta.db_table, ["tenant_id", "user_id", "role", "created_at", "updated_at"], memberships)
    copy_rows(
        Invitation._meta.db_table,
        [
            "tenant_id",
            "email",
            "role",
            "token_hash",
            "invited_by_id",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ],
        invitations,
    )
    audit_rows = sorted(audit + invitation_audit, key=lambda row: row[-1])
    copy_rows(
        AuditEntry._meta.db_table,
        [
            "tenant_id",
            "tenant_slug",
            "actor_id",
            "actor_email",
            "action",
            "target",
            "target_user_id",
            "metadata",
            "created_at",
        ],
        ((*row[:7], json.dumps(row[7]), row[8]) for row in audit_rows),
    )
    analyze_tables(
        Tenant._meta.db_table, Membership._meta.db_table, Invitation._meta.db_table, AuditEntry._meta.db_table
    )
    return {
        "tenants": len(tenants),
        "memberships": len(memberships),
        "invitations": len(invitations),
        "audit_entries": len(audit_rows),
    }


@transaction.atomic
def delete_seed_tenants() -> int:
    """Delete every seeded tenant with its memberships, invitations and audit entries.

    The three big tables go set-based; the tenants themselves through Django's cascade, so rows
    other apps hang off a seeded tenant (products, events) go with it, as with any deletion.
    """
    ids = list_seed_tenant_ids()
    with connection.cursor() as cursor:
        for model in (AuditEntry, Invitation, Membership):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE tenant_id = ANY(%s)", [ids])  # noqa: S608
    Tenant.objects.filter(pk__in=ids).delete()
    return len(ids)
