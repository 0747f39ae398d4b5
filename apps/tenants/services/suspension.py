"""Suspending and reinstating a tenant (platform staff only, from the Django admin).

A suspended tenant's storefront and API answer 503 ``tenant_suspended``; its members still read
the console, with the reason shown, and change nothing (``apps.tenants.access``). Both writes
make the tenant's cached pages and every member's cached membership stale, so the change shows
on the next request, and append an audit entry the shop can read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.core.errors import ApplicationError, ErrorCode, Invalid
from apps.tenants.access import invalidate_tenant_pages
from apps.tenants.models import Membership, Tenant
from apps.tenants.services.common import _invalidate, record_audit

MAX_REASON = 300


def _require_staff(actor) -> None:
    if actor is None or not getattr(actor, "is_staff", False):
        raise ApplicationError("Only platform staff suspend shops.", code=ErrorCode.PERMISSION_DENIED, status=403)


def _forget_cached_access(tenant: Tenant) -> None:
    user_ids = list(Membership.objects.filter(tenant=tenant).values_list("user_id", flat=True))
    _invalidate(tenant, *user_ids)
    invalidate_tenant_pages(tenant.pk)  # now, and again once committed (a read in between re-caches)
    transaction.on_commit(lambda: invalidate_tenant_pages(tenant.pk))


@transaction.atomic
def suspend_tenant(*, tenant: Tenant, actor, reason: str) -> Tenant:
    """Suspend ``tenant`` with a ``reason`` its staff will read (required, at most 300 characters).
    Suspending a suspended tenant only updates the reason."""
    _require_staff(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid({"reason": ["Say why: the shop's staff will read it."]})
    if len(reason) > MAX_REASON:
        raise Invalid({"reason": [f"At most {MAX_REASON} characters."]})
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    locked.suspended_at = locked.suspended_at or timezone.now()
    locked.suspension_reason = reason
    locked.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])
    record_audit(
        tenant=locked, actor=actor, action="staff.tenant_suspend", target=locked.slug, metadata={"reason": reason}
    )
    _forget_cached_access(locked)
    return locked


@transaction.atomic
def reinstate_tenant(*, tenant: Tenant, actor) -> Tenant:
    """Lift a suspension: the storefront, API and console work again."""
    _require_staff(actor)
    locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if locked.suspended_at is None:
        return locked
    locked.suspended_at, locked.suspension_reason = None, ""
    locked.save(update_fields=["suspended_at", "suspension_reason", "updated_at"])
    record_audit(tenant=locked, actor=actor, action="staff.tenant_reinstate", target=locked.slug)
    _forget_cached_access(locked)
    return locked
