"""Invitations: invite by email (the raw token is shown once, its hash stored), revoke, check,
accept (the invited, verified address only), purge closed ones."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts import selectors as account_selectors
from apps.core.errors import ApplicationError, Conflict, ErrorCode, Invalid, NotFound
from apps.core.outbox import enqueue_task
from apps.tenants import validation
from apps.tenants.invitation_tokens import hash_token
from apps.tenants.models import Invitation, Membership, Tenant
from apps.tenants.roles import Role
from apps.tenants.services.common import _field_errors, _invalidate, _require, record_audit


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation just made, with its raw token (shown once; only its hash is stored)."""

    invitation: Invitation
    token: str


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
        raise Invalid({"email": ["You cannot invite yourself."]})
    if role == Role.OWNER and by_role != Role.OWNER:
        raise Invalid({"role": ["Only an owner can invite another owner."]})
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise Invalid({"email": ["This person is already a member."]})
    recent = Invitation.objects.filter(tenant=tenant, created_at__gte=timezone.now() - timedelta(hours=1)).count()
    if recent >= settings.TENANT_INVITATIONS_PER_HOUR:
        raise ApplicationError(
            f"This shop has sent {recent} invitations in the last hour. Try again later.",
            code=ErrorCode.TOO_MANY_INVITATIONS,
            status=429,
        )
    open_invitation = (
        Invitation.objects.select_for_update()
        .filter(tenant=tenant, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if open_invitation is not None:
        if open_invitation.status == "pending":
            raise Invalid({"email": ["This person already has a pending invitation. Revoke it to send a new one."]})
        open_invitation.revoked_at = timezone.now()  # expired: make room for a fresh one
        open_invitation.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        tenant=tenant, email=email, role=role, token_hash=hash_token(token), invited_by=by
    )
    record_audit(
        tenant=tenant, actor=by, action="invitation.create", target=email, metadata={"role": role, "id": invitation.pk}
    )
    enqueue_task("tenants.send_invitation_email", invitation.pk, token)
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def revoke_invitation(*, tenant: Tenant, by, invitation_id) -> Invitation:
    """Revoke a pending invitation of ``tenant`` (``members.manage``)."""
    _require(tenant=tenant, user=by, permission="members.manage")
    try:
        invitation = Invitation.objects.select_for_update().get(tenant=tenant, pk=int(invitation_id))
    except (Invitation.DoesNotExist, TypeError, ValueError):
        raise NotFound("No such invitation.") from None
    if invitation.status in ("accepted", "revoked"):
        raise Conflict(f"This invitation is already {invitation.status}.", code=ErrorCode.INVITATION_CLOSED)
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
        raise NotFound("This invitation link is not valid.", code=ErrorCode.INVITATION_NOT_FOUND)
    if invitation.status in INVITATION_ERRORS:
        code, message = INVITATION_ERRORS[invitation.status]
        raise ApplicationError(message, code=code, status=410)
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user) -> Membership:
    """Join the invitation's tenant as ``user``. The user's email must be the invited email, verified."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise ApplicationError("Log in to accept the invitation.", code=ErrorCode.NOT_AUTHENTICATED, status=401)
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
            code=ErrorCode.INVITATION_EMAIL_MISMATCH,
            status=403,
        )
    if not account_selectors.is_email_verified(user=user):
        raise ApplicationError(
            "Verify your email address first: the invitation is accepted by the owner of that address.",
            code=ErrorCode.EMAIL_UNVERIFIED,
            status=403,
        )
    tenant = invitation.tenant
    if Membership.objects.filter(tenant=tenant, user=user).exists():
        raise Conflict("You are already a member of this shop.", code=ErrorCode.ALREADY_MEMBER)
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


@transaction.atomic
def purge_closed_invitations(*, older_than_days: int = 30) -> int:
    """Delete invitations closed (accepted, revoked or expired) more than ``older_than_days`` ago.

    They hold the email addresses of people who may never have joined: keep them no longer than
    needed. Pending invitations are never touched. Returns how many were deleted.
    """

    if older_than_days < 1:
        raise Invalid({"older_than_days": ["Keep closed invitations for at least one day."]})
    cutoff = timezone.now() - timedelta(days=older_than_days)
    closed_long_ago = (
        Q(accepted_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lt=cutoff)
    )
    deleted, _ = Invitation.objects.filter(closed_long_ago).delete()
    return deleted
