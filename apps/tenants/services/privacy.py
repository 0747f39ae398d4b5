"""A user's tenants data for GDPR requests: export, leave every shop before erasure, anonymise."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.deletion import Collector

from apps.core.errors import Conflict, ErrorCode
from apps.tenants import deletion
from apps.tenants.models import AuditEntry, Invitation, Membership
from apps.tenants.roles import Role
from apps.tenants.services.common import _audit_entry, _invalidate, record_audit


def export_memberships(*, user) -> list[dict]:
    """The user's memberships, for a GDPR data export."""
    rows = Membership.objects.filter(user_id=user.pk).select_related("tenant").order_by("created_at")
    return [
        {
            "tenant": m.tenant.slug,
            "tenant_name": m.tenant.name,
            "role": m.role,
            "joined_at": m.created_at.isoformat(),
        }
        for m in rows
    ]


def export_audit_entries(*, user) -> list[dict]:
    """Audit entries where the user acted or was acted on, for a GDPR data export."""

    rows = AuditEntry.objects.filter(Q(actor_id=user.pk) | Q(target_user_id=user.pk)).order_by("created_at", "id")
    return [
        {
            "tenant": entry.tenant_slug,
            "action": entry.action,
            "by_me": entry.actor_id == user.pk,
            "target": entry.target,
            "metadata": entry.metadata,
            "created_at": entry.created_at.isoformat(),
        }
        for entry in rows
    ]


@transaction.atomic
def remove_user_from_tenants(*, user) -> dict:
    """Take ``user`` out of every tenant before their account is erased.

    Decision: a tenant where the user is the *only* member is deleted with them (nobody else could
    ever manage it). If the user is the last owner of a tenant that has other members, nothing
    changes and ``Conflict(code=ErrorCode.LAST_OWNER)`` names those tenants: ownership must be
    handed over first. Pending invitations addressed to the user's email are deleted.
    Returns ``{"left": [slugs], "deleted": [slugs]}``.
    """
    memberships = list(
        Membership.objects.select_for_update().filter(user_id=user.pk).select_related("tenant").order_by("tenant_id")
    )
    # One grouped query for every tenant, not two per tenant: a consultant may be in hundreds.
    others = {
        row["tenant_id"]: row
        for row in Membership.objects.filter(tenant_id__in=[m.tenant_id for m in memberships])
        .exclude(user_id=user.pk)
        .values("tenant_id")
        .annotate(owners=Count("id", filter=Q(role=Role.OWNER)))
    }
    blocking, sole, leave = [], [], []
    for membership in memberships:
        found = others.get(membership.tenant_id)
        if found is None:
            sole.append(membership)
        elif membership.role == Role.OWNER and not found["owners"]:
            blocking.append(membership.tenant.slug)
        else:
            leave.append(membership)
    if blocking:
        raise Conflict(
            "You are the last owner of shops that have other members: make someone else an owner first "
            f"({', '.join(blocking)}).",
            code=ErrorCode.LAST_OWNER,
            details={"tenants": blocking},
        )
    collector = Collector(using=Membership.objects.db)  # the loaded rows, tenants cached: one DELETE
    collector.collect(leave)
    collector.delete()
    AuditEntry.objects.bulk_create(
        [_audit_entry(tenant=m.tenant, actor=user, action="member.erase", target="", metadata={}) for m in leave]
    )
    for membership in leave:
        _invalidate(membership.tenant, user.pk)
    deleted = []
    for membership in sole:
        tenant = membership.tenant
        deleted.append(tenant.slug)
        record_audit(
            tenant=tenant, actor=user, action="tenant.delete", target=tenant.slug, metadata={"reason": "erasure"}
        )
        _invalidate(tenant, user.pk)
        deletion.purge_tenant(tenant=tenant)
    Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()
    return {"left": [m.tenant.slug for m in leave], "deleted": deleted}


@transaction.atomic
def anonymise_audit_actor(*, user) -> int:
    """Remove ``user``'s identity from audit entries (as actor or target); returns entries changed."""

    email = user.email.lower()
    as_actor = AuditEntry.objects.filter(actor_id=user.pk).update(actor=None, actor_email="")
    as_target = AuditEntry.objects.filter(Q(target_user_id=user.pk) | Q(target__iexact=email)).update(
        target_user=None, target="(erased user)"
    )
    stale_actor = AuditEntry.objects.filter(actor_email__iexact=email).update(actor_email="")
    return as_actor + as_target + stale_actor
