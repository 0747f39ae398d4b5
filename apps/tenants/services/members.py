"""Members: change a role, remove a member, leave a shop (the last owner always stays)."""

from __future__ import annotations

from django.db import transaction

from apps.core.errors import ApplicationError, Conflict, ErrorCode, NotFound
from apps.tenants import validation
from apps.tenants.models import Membership, Tenant
from apps.tenants.roles import Role
from apps.tenants.services.common import (
    _field_errors,
    _get_membership,
    _invalidate,
    _lock_owners,
    _require,
    record_audit,
)


@transaction.atomic
def change_role(*, tenant: Tenant, by, membership_id, role: str) -> Membership:
    """Give a member another role (``members.manage``). Admins cannot make or change owners;
    the last owner cannot be demoted."""
    by_role = _require(tenant=tenant, user=by, permission="members.manage")
    role = _field_errors(role=(validation.validate_role, role))["role"]
    owners = _lock_owners(tenant)
    membership = _get_membership(tenant=tenant, membership_id=membership_id)
    if by_role != Role.OWNER and Role.OWNER in (role, membership.role):
        raise ApplicationError(
            "Only an owner can make or change an owner.", code=ErrorCode.PERMISSION_DENIED, status=403
        )
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and len(owners) == 1:
        raise Conflict("The last owner cannot be demoted. Make someone else an owner first.", code=ErrorCode.LAST_OWNER)
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
        raise ApplicationError("Only an owner can remove an owner.", code=ErrorCode.PERMISSION_DENIED, status=403)
    if membership.role == Role.OWNER and len(owners) == 1:
        raise Conflict("The last owner cannot be removed. Make someone else an owner first.", code=ErrorCode.LAST_OWNER)
    _end_membership(tenant, membership, membership.user, actor=by, action="member.remove")


@transaction.atomic
def leave_tenant(*, tenant: Tenant, user) -> None:
    """``user`` leaves ``tenant``. The last owner cannot leave (hand over ownership or delete the shop)."""
    owners = _lock_owners(tenant)
    membership = Membership.objects.select_for_update().filter(tenant=tenant, user_id=getattr(user, "pk", None)).first()
    if membership is None:
        raise NotFound()
    if membership.role == Role.OWNER and len(owners) == 1:
        raise Conflict(
            "You are the last owner: make someone else an owner, or delete the shop.", code=ErrorCode.LAST_OWNER
        )
    _end_membership(tenant, membership, user, actor=user, action="member.leave")


def _end_membership(tenant: Tenant, membership: Membership, user, *, actor, action: str) -> None:
    """Delete ``user``'s ``membership``, drop its cached access and audit ``action`` (remove or leave)."""
    membership.delete()
    _invalidate(tenant, user.pk)
    record_audit(
        tenant=tenant,
        actor=actor,
        action=action,
        target=user.email,
        target_user=user,
        metadata={"role": membership.role},
    )
