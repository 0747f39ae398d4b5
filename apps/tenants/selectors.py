"""Reads for tenants, memberships, invitations and the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from apps.core.errors import NotFound
from apps.tenants.invitation_tokens import hash_token
from apps.tenants.models import AuditEntry, Invitation, Membership, Tenant


def list_memberships_for_user(*, user) -> QuerySet[Membership]:
    """The user's memberships with their tenants, by tenant name."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk).select_related("tenant").order_by("tenant__name", "pk")


def list_members(*, tenant: Tenant) -> QuerySet[Membership]:
    """The tenant's members with their users, oldest first."""
    return Membership.objects.filter(tenant=tenant).select_related("user").order_by("created_at", "pk")


def get_member(*, tenant: Tenant, membership_id) -> Membership | None:
    """One membership of ``tenant`` (None for another tenant's id or a malformed id)."""
    try:
        membership_id = int(membership_id)
    except (TypeError, ValueError):
        return None
    return list_members(tenant=tenant).filter(pk=membership_id).first()


def list_invitations(*, tenant: Tenant, pending_only: bool = False) -> QuerySet[Invitation]:
    """The tenant's invitations, newest first; ``pending_only`` keeps the open, unexpired ones."""

    rows = Invitation.objects.filter(tenant=tenant).select_related("invited_by").order_by("-created_at", "-pk")
    if pending_only:
        rows = rows.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
    return rows


def get_invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation whose token is ``token`` (any status), or None."""
    return Invitation.objects.select_related("tenant", "invited_by").filter(token_hash=hash_token(token or "")).first()


def list_audit_entries(*, tenant: Tenant) -> QuerySet[AuditEntry]:
    """The tenant's audit trail, newest first."""
    return AuditEntry.objects.filter(tenant=tenant).order_by("-created_at", "-pk")


def list_audit_entries_by_actor(*, user) -> QuerySet[AuditEntry]:
    """Every audit entry ``user`` is the actor of, across tenants, newest first."""
    return AuditEntry.objects.filter(actor_id=user.pk).order_by("-created_at", "-pk")


def get_membership_role(*, tenant: Tenant, user) -> str | None:
    """``user``'s role in ``tenant``, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(tenant=tenant, user_id=user.pk).values_list("role", flat=True).first()


def get_tenant_by_slug(*, slug: str) -> Tenant | None:
    """The tenant with ``slug``, or None (commands and seeders; requests resolve through ``access``)."""
    return Tenant.objects.filter(slug=slug).first()


def get_tenant_by_id(*, tenant_id: int) -> Tenant:
    """The tenant with ``tenant_id`` (background tasks, which carry ids); raises ``NotFound``."""
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        raise NotFound("No such shop.")
    return tenant
