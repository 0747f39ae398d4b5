"""Writes for tenants, memberships and invitations. Every function is atomic and validated.

Rules enforced here (not only in views), so every caller gets them:

- creating a tenant makes its creator the owner;
- owners and admins invite, change roles and remove members; an admin may neither make nor touch
  an owner; only owners delete the tenant;
- the last owner can be neither removed, nor demoted, nor leave;
- every membership change invalidates the membership cache (``access.invalidate_membership_cache``)
  and records an :class:`~apps.tenants.models.AuditEntry`.

Field problems raise :class:`apps.core.errors.Invalid` (details keyed by field); state conflicts
raise :class:`~apps.core.errors.Conflict` / :class:`~apps.core.errors.NotFound` /
``ApplicationError`` with an :class:`~apps.core.errors.ErrorCode`.

The modules: ``tenants`` (create, update, delete), ``invitations``, ``members``, ``privacy``
(GDPR export and erasure), ``common`` (audit, role checks). Import from this package.
"""

from apps.tenants.invitation_tokens import hash_token
from apps.tenants.services.common import record_audit
from apps.tenants.services.invitations import (
    INVITATION_ERRORS,
    IssuedInvitation,
    accept_invitation,
    check_invitation,
    invite_member,
    purge_closed_invitations,
    revoke_invitation,
)
from apps.tenants.services.members import change_role, leave_tenant, remove_member
from apps.tenants.services.privacy import (
    anonymise_audit_actor,
    export_audit_entries,
    export_memberships,
    remove_user_from_tenants,
)
from apps.tenants.services.suspension import reinstate_tenant, suspend_tenant
from apps.tenants.services.tenants import (
    LOGO_MAX_BYTES,
    LOGO_MAX_PIXELS,
    create_tenant,
    delete_tenant,
    remove_tenant_logo,
    set_tenant_logo,
    update_tenant,
)

__all__ = [
    "INVITATION_ERRORS",
    "IssuedInvitation",
    "accept_invitation",
    "anonymise_audit_actor",
    "change_role",
    "check_invitation",
    "create_tenant",
    "delete_tenant",
    "export_audit_entries",
    "export_memberships",
    "hash_token",
    "invite_member",
    "leave_tenant",
    "purge_closed_invitations",
    "record_audit",
    "remove_member",
    "reinstate_tenant",
    "remove_user_from_tenants",
    "revoke_invitation",
    "suspend_tenant",
    "update_tenant",
    "set_tenant_logo",
    "LOGO_MAX_BYTES",
    "LOGO_MAX_PIXELS",
    "remove_tenant_logo",
]
