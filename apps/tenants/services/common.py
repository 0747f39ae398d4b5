"""What the tenants services share: running field validators into one :class:`Invalid`, role
checks, locking, the audit trail and membership-cache invalidation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.errors import ApplicationError, ErrorCode, Invalid, NotFound
from apps.tenants.access import invalidate_membership_cache
from apps.tenants.models import AuditEntry, Membership, Tenant
from apps.tenants.roles import Role, role_has_permission


def _field_errors(**checks) -> dict:
    """Run ``field=(validator, value)`` checks (``apps.tenants.validation``); return the cleaned
    values, or raise one :class:`Invalid` naming every bad field."""
    cleaned, errors = {}, {}
    for field, (validator, value) in checks.items():
        try:
            cleaned[field] = validator(value)
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise Invalid(errors)
    return cleaned


def _role_of(*, tenant: Tenant, user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(tenant=tenant, user_id=user.pk).values_list("role", flat=True).first()


def _require(*, tenant: Tenant, user, permission: str) -> str:
    """The user's role in ``tenant`` if it grants ``permission``; else a 404 (outsider) or 403."""
    role = _role_of(tenant=tenant, user=user)
    if role is None:
        raise NotFound()
    if not role_has_permission(role, permission):
        raise ApplicationError("Your role does not allow this.", code=ErrorCode.PERMISSION_DENIED, status=403)
    return role


def _lock_owners(tenant: Tenant) -> list[Membership]:
    """Lock the tenant's owner rows so concurrent demotions cannot remove the last owner."""
    return list(Membership.objects.select_for_update().filter(tenant=tenant, role=Role.OWNER).order_by("pk"))


def _get_membership(*, tenant: Tenant, membership_id) -> Membership:
    """A membership of ``tenant`` by id, locked; 404 for ids of other tenants or malformed ids."""
    try:
        membership_id = int(membership_id)
    except (TypeError, ValueError):
        raise NotFound("No such member.") from None
    membership = (
        Membership.objects.select_for_update().select_related("user").filter(tenant=tenant, pk=membership_id).first()
    )
    if membership is None:
        raise NotFound("No such member.")
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
