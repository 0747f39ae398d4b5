"""Writes for tenants, memberships and invitations. Every function is atomic and validated.

Rules enforced here (not only in views), so every caller gets them:

- creating a tenant makes its creator the owner;
- owners and admins invite, change roles and remove members; an admin may neither make nor touch
  an owner; only owners delete the tenant;
- the last owner can be neither removed, nor demoted, nor leave;
- every membership change invalidates the membership cache (``access.invalidate_membership_cache``)
  and records an :class:`~apps.tenants.models.AuditEntry`.

Field problems raise Django's ``ValidationError`` keyed by field; state conflicts raise
``ApplicationError`` with a specific ``code`` and status.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.deletion import Collector
from django.utils import timezone

from apps.accounts import selectors as account_selectors
from apps.core.errors import ApplicationError
from apps.tenants import deletion, validation
from apps.tenants.access import invalidate_membership_cache, invalidate_tenant_pages
from apps.tenants.models import AuditEntry, Invitation, Membership, Tenant
from apps.tenants.roles import Role, role_has_permission

# Invitations send email to addresses the inviter chooses: cap them per tenant against abuse.
DEFAULT_INVITATIONS_PER_HOUR = 50


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation just made, with its raw token (shown once; only its hash is stored)."""

    invitation: Invitation
    token: str


# --- helpers ---------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    """The stored form of an invitation token (SHA-256, hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _field_errors(**checks) -> dict:
    """Run ``field=(validator, value)`` checks; return cleaned values or raise one ValidationError for all."""
    cleaned, errors = {}, {}
    for field, (validator, value) in checks.items():
        try:
            cleaned[field] = validator(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _role_of(*, tenant: Tenant, user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(tenant=tenant, user_id=user.pk).values_list("role", flat=True).first()


def _require(*, tenant: Tenant, user, permission: str) -> str:
    """The user's role in ``tenant`` if it grants ``permission``; else a 404 (outsider) or 403."""
    role = _role_of(tenant=tenant, user=user)
    if role is None:
        raise ApplicationError("Not found.", code="not_found", status=404)
    if not role_has_permission(role, permission):
        raise ApplicationError("Your role does not allow this.", code="permission_denied", status=403)
    return role


def _lock_owners(tenant: Tenant) -> list[Membership]:
    """Lock the tenant's owner rows so concurrent demotions cannot remove the last owner."""
    return list(Membership.objects.select_for_update().filter(tenant=tenant, role=Role.OWNER).order_by("pk"))


def _get_membership(*, tenant: Tenant, membership_id) -> Membership:
    """A membership of ``tenant`` by id, locked; 404 for ids of other tenants or malformed ids."""
    try:
        membership_id = int(membership_id)
    except (TypeError, ValueError):
        raise ApplicationError("No such member.", code="not_found", status=404) from None
    membership = (
        Membership.objects.select_for_update().select_related("user").filter(tenant=tenant, pk=membership_id).first()
    )
    if membership is None:
        raise ApplicationError("No such member.", code="not_found", status=404)
    return membership


def _audit_entry(*, tenant: Tenant, actor, action: str, target: str = "", target_user=None, metadata=None):
    actor_ok = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        tenant=tenant,
        tenant_slug=tenant.slug,
        actor=actor if actor_ok else None,
        actor_email=actor.email if actor_ok else "",
        action=action,
        target=target[:254],
        target_user=target_user,
        metadata=metadata or {},
    )


def record_audit(*, tenant: Tenant, actor, action: str, target: str = "", target_user=None, metadata=None):
    """Append an audit entry for ``tenant`` (the slug is kept even if the tenant is deleted later)."""
    entry = _audit_entry(
        tenant=tenant, actor=actor, action=action, target=target, target_user=target_user, metadata=metadata
    )
    entry.save()
    return entry


def _invalidate(tenant: Tenant, *user_ids: int) -> None:
    slug = tenant.slug
    for user_id in user_ids:
        transaction.on_commit(lambda uid=user_id: invalidate_membership_cache(user_id=uid, slug=slug))
        invalidate_membership_cache(user_id=user_id, slug=slug)


# --- tenants ---------------------------------------------------------------------------------


@transaction.atomic
def create_tenant(*, user, name: str, slug: str, currency: str = "EUR", time_zone: str = "UTC") -> Tenant:
    """Create a tenant and make ``user`` its owner."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise ApplicationError("Log in to create a shop.", code="not_authenticated", status=401)
    cleaned = _field_errors(
        name=(validation.validate_name, name),
        slug=(validation.validate_slug, slug),
        currency=(validation.validate_currency, currency),
        time_zone=(validation.validate_time_zone, time_zone),
    )
    if Tenant.objects.filter(slug=cleaned["slug"]).exists() or deletion.is_slug_retired(cleaned["slug"]):
        raise ValidationError({"slug": ["This address is already taken. Choose another."]})
    try:
        with transaction.atomic():
            tenant = Tenant.objects.create(**cleaned)
    except IntegrityError:  # a concurrent create took the slug between the check and the insert
        raise ValidationError({"slug": ["This address is already taken. Choose another."]}) from None
    Membership.objects.create(tenant=tenant, user=user, role=Role.OWNER)
    _invalidate(tenant, user.pk)
    record_audit(tenant=tenant, actor=user, action="tenant.create", target=tenant.slug, metadata=cleaned)
    return tenant


@transaction.atomic
def update_tenant(*, tenant: Tenant, by, name=None, currency=None, time_zone=None) -> Tenant:
    """Change the tenant's name, currency and/or time zone (``tenant.edit``). The slug is permanent."""
    _require(tenant=tenant, user=by, permission="tenant.edit")
    checks = {}
    if name is not None:
        checks["name"] = (validation.validate_name, name)
    if currency is not None:
        checks["currency"] = (validation.validate_currency, currency)
    if time_zone is not None:
        checks["time_zone"] = (validation.validate_time_zone, time_zone)
    cleaned = _field_errors(**checks)
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    changes = {
        field: [getattr(tenant, field), value] for field, value in cleaned.items() if getattr(tenant, field) != value
    }
    for field, value in cleaned.items():
        setattr(tenant, field, value)
    if changes:
        tenant.save(update_fields=[*changes, "updated_at"])
        # The cached membership holds the tenant object: refresh every member's entry.
        _invalidate(tenant, *Membership.objects.filter(tenant=tenant).values_list("user_id", flat=True))
        transaction.on_commit(lambda tenant_id=tenant.pk: invalidate_tenant_pages(tenant_id))
        record_audit(tenant=tenant, actor=by, action="tenant.update", target=tenant.slug, metadata=changes)
    return tenant


@transaction.atomic
def delete_tenant(*, tenant: Tenant, by) -> None:
    """Delete the tenant and everything it owns (``tenant.delete``: owners only)."""
    _require(tenant=tenant, user=by, permission="tenant.delete")
    user_ids = list(Membership.objects.filter(tenant=tenant).values_list("user_id", flat=True))
    record_audit(tenant=tenant, actor=by, action="tenant.delete", target=tenant.slug, metadata={"name": tenant.name})
    _invalidate(tenant, *user_ids)
    transaction.on_commit(lambda tenant_id=tenant.pk: invalidate_tenant_pages(tenant_id))
    deletion.purge_tenant(tenant=tenant)


# --- invitations -----------------------------------------------------------------------------


@transaction.atomic
def invite_member(*, tenant: Tenant, by, email: str, role: str) -> IssuedInvitation:
    """Invite ``email`` to ``tenant`` with ``role`` and email the link (through Celery).

    Owners and admins may invite; only an owner may invite an owner. Refuses members, yourself,
    unknown roles and a second pending invitation. Returns the invitation and its raw token.
    """
    by_role = _require(tenant=tenant, user=by, permission="members.manage")
    cleaned = _field_errors(email=(validation.validate_invite_email, email), role=(validation.validate_role, role))
    email, role = cleaned["email"], cleaned["role"]
    if email == by.email.lower():
        raise ValidationError({"email": ["You cannot invite yourself."]})
    if role == Role.OWNER and by_role != Role.OWNER:
        raise ValidationError({"role": ["Only an owner can invite another owner."]})
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise ValidationError({"email": ["This person is already a member."]})
    recent = Invitation.objects.filter(tenant=tenant, created_at__gte=timezone.now() - timedelta(hours=1)).count()
    if recent >= getattr(settings, "TENANT_INVITATIONS_PER_HOUR", DEFAULT_INVITATIONS_PER_HOUR):
        raise ApplicationError(
            f"This shop has sent {recent} invitations in the last hour. Try again later.",
            code="too_many_invitations",
            status=429,
        )
    open_invitation = (
        Invitation.objects.select_for_update()
        .filter(tenant=tenant, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if open_invitation is not None:
        if open_invitation.status == "pending":
            raise ValidationError(
                {"email": ["This person already has a pending invitation. Revoke it to send a new one."]}
            )
        open_invitation.revoked_at = timezone.now()  # expired: make room for a fresh one
        open_invitation.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        tenant=tenant, email=email, role=role, token_hash=hash_token(token), invited_by=by
    )
    record_audit(
        tenant=tenant, actor=by, action="invitation.create", target=email, metadata={"role": role, "id": invitation.pk}
    )
    from apps.core.outbox import enqueue_task

    enqueue_task("tenants.send_invitation_email", invitation.pk, token)
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def revoke_invitation(*, tenant: Tenant, by, invitation_id) -> Invitation:
    """Revoke a pending invitation of ``tenant`` (``members.manage``)."""
    _require(tenant=tenant, user=by, permission="members.manage")
    try:
        invitation = Invitation.objects.select_for_update().get(tenant=tenant, pk=int(invitation_id))
    except (Invitation.DoesNotExist, TypeError, ValueError):
        raise ApplicationError("No such invitation.", code="not_found", status=404) from None
    if invitation.status in ("accepted", "revoked"):
        raise ApplicationError(f"This invitation is already {invitation.status}.", code="invitation_closed", status=409)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_audit(
        tenant=tenant, actor=by, action="invitation.revoke", target=invitation.email, metadata={"id": invitation.pk}
    )
    return invitation


INVITATION_ERRORS = {
    "accepted": ("invitation_used", "This invitation has already been used."),
    "revoked": ("invitation_revoked", "This invitation was withdrawn by the shop."),
    "expired": ("invitation_expired", "This invitation has expired. Ask the shop for a new one."),
}


def check_invitation(invitation: Invitation | None) -> Invitation:
    """Raise the clear error for a missing, used, revoked or expired invitation; else return it."""
    if invitation is None:
        raise ApplicationError("This invitation link is not valid.", code="invitation_not_found", status=404)
    if invitation.status in INVITATION_ERRORS:
        code, message = INVITATION_ERRORS[invitation.status]
        raise ApplicationError(message, code=code, status=410)
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user) -> Membership:
    """Join the invitation's tenant as ``user``. The user's email must be the invited email, verified."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise ApplicationError("Log in to accept the invitation.", code="not_authenticated", status=401)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("tenant")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    check_invitation(invitation)
    if invitation.email.lower() != user.email.lower():
        raise ApplicationError(
            f"This invitation was sent to another email address. You are logged in as {user.email}: "
            "log out and log in with the invited address.",
            code="invitation_email_mismatch",
            status=403,
        )
    if not account_selectors.is_email_verified(user=user):
        raise ApplicationError(
            "Verify your email address first: the invitation is accepted by the owner of that address.",
            code="email_unverified",
            status=403,
        )
    tenant = invitation.tenant
    if Membership.objects.filter(tenant=tenant, user=user).exists():
        raise ApplicationError("You are already a member of this shop.", code="already_member", status=409)
    membership = Membership.objects.create(tenant=tenant, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _invalidate(tenant, user.pk)
    record_audit(
        tenant=tenant,
        actor=user,
        action="invitation.accept",
        target=user.email,
        target_user=user,
        metadata={"role": invitation.role, "id": invitation.pk},
    )
    return membership


# --- members ---------------------------------------------------------------------------------


@transaction.atomic
def change_role(*, tenant: Tenant, by, membership_id, role: str) -> Membership:
    """Give a member another role (``members.manage``). Admins cannot make or change owners;
    the last owner cannot be demoted."""
    by_role = _require(tenant=tenant, user=by, permission="members.manage")
    role = _field_errors(role=(validation.validate_role, role))["role"]
    owners = _lock_owners(tenant)
    membership = _get_membership(tenant=tenant, membership_id=membership_id)
    if by_role != Role.OWNER and Role.OWNER in (role, membership.role):
        raise ApplicationError("Only an owner can make or change an owner.", code="permission_denied", status=403)
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and len(owners) == 1:
        raise ApplicationError(
            "The last owner cannot be demoted. Make someone else an owner first.", code="last_owner", status=409
        )
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    _invalidate(tenant, membership.user_id)
    record_audit(
        tenant=tenant,
        actor=by,
        action="member.role_change",
        target=membership.user.email,
        target_user=membership.user,
        metadata={"from": old_role, "to": role},
    )
    return membership


@transaction.atomic
def remove_member(*, tenant: Tenant, by, membership_id) -> None:
    """Remove a member (``members.manage``). Admins cannot remove owners; the last owner stays."""
    by_role = _require(tenant=tenant, user=by, permission="members.manage")
    owners = _lock_owners(tenant)
    membership = _get_membership(tenant=tenant, membership_id=membership_id)
    if membership.role == Role.OWNER and by_role != Role.OWNER:
        raise ApplicationError("Only an owner can remove an owner.", code="permission_denied", status=403)
    if membership.role == Role.OWNER and len(owners) == 1:
        raise ApplicationError(
            "The last owner cannot be removed. Make someone else an owner first.", code="last_owner", status=409
        )
    user = membership.user
    membership.delete()
    _invalidate(tenant, user.pk)
    record_audit(
        tenant=tenant,
        actor=by,
        action="member.remove",
        target=user.email,
        target_user=user,
        metadata={"role": membership.role},
    )


@transaction.atomic
def leave_tenant(*, tenant: Tenant, user) -> None:
    """``user`` leaves ``tenant``. The last owner cannot leave (hand over ownership or delete the shop)."""
    owners = _lock_owners(tenant)
    membership = Membership.objects.select_for_update().filter(tenant=tenant, user_id=getattr(user, "pk", None)).first()
    if membership is None:
        raise ApplicationError("Not found.", code="not_found", status=404)
    if membership.role == Role.OWNER and len(owners) == 1:
        raise ApplicationError(
            "You are the last owner: make someone else an owner, or delete the shop.", code="last_owner", status=409
        )
    membership.delete()
    _invalidate(tenant, user.pk)
    record_audit(
        tenant=tenant,
        actor=user,
        action="member.leave",
        target=user.email,
        target_user=user,
        metadata={"role": membership.role},
    )


@transaction.atomic
def purge_closed_invitations(*, older_than_days: int = 30) -> int:
    """Delete invitations closed (accepted, revoked or expired) more than ``older_than_days`` ago.

    They hold the email addresses of people who may never have joined: keep them no longer than
    needed. Pending invitations are never touched. Returns how many were deleted.
    """

    if older_than_days < 1:
        raise ValidationError({"older_than_days": ["Keep closed invitations for at least one day."]})
    cutoff = timezone.now() - timedelta(days=older_than_days)
    closed_long_ago = (
        Q(accepted_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lt=cutoff)
    )
    deleted, _ = Invitation.objects.filter(closed_long_ago).delete()
    return deleted


# --- GDPR --------------------------------------------------------------------------------------


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
    changes and ``ApplicationError(code="last_owner")`` names those tenants: ownership must be
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
        raise ApplicationError(
            "You are the last owner of shops that have other members: make someone else an owner first "
            f"({', '.join(blocking)}).",
            code="last_owner",
            status=409,
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
