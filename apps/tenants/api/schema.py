"""OpenAPI documentation of the tenants API: examples, error codes and links per operation.

Each constant is the ``extend_schema`` arguments of one view method (``@extend_schema(**TENANTS_CREATE)``).
The generic error statuses come from ``apps.core.schema.add_error_responses``; only what an
operation answers beyond them is declared here.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter

from apps.core.errors import ErrorCode
from apps.core.schema import error_responses, example, limit_parameter
from apps.core.schema_links import alias_collection, register_link
from apps.tenants.api.serializers import (
    AuditEntrySerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    IssuedInvitationSerializer,
    MemberSerializer,
    MemberUpdateSerializer,
    MyTenantSerializer,
    ReauthenticationSerializer,
    TenantCreateSerializer,
    TenantSerializer,
    TenantUpdateSerializer,
)

TENANT_EXAMPLE = {
    "public_id": "6f1d8f44-5b8e-4c38-9b36-2f6a1c1d2e3f",
    "slug": "corner-shop",
    "name": "Corner Shop",
    "currency": "EUR",
    "time_zone": "Europe/Paris",
    "created_at": "2026-11-26T13:00:00Z",
    "updated_at": "2026-11-26T13:00:00Z",
}
MEMBER_EXAMPLE = {
    "id": 42,
    "user": {"public_id": "0b7c1b9e-1111-4c38-9b36-2f6a1c1d2e3f", "email": "sam@example.com", "name": "Sam"},
    "role": "editor",
    "joined_at": "2026-11-26T13:05:00Z",
}
INVITATION_EXAMPLE = {
    "id": 7,
    "email": "kim@example.com",
    "role": "viewer",
    "status": "pending",
    "invited_by": "owner@example.com",
    "created_at": "2026-11-26T13:10:00Z",
    "expires_at": "2026-12-03T13:10:00Z",
    "accepted_at": None,
    "revoked_at": None,
}
PAGE_SIZE = 50
LIMIT = [limit_parameter(PAGE_SIZE), OpenApiParameter("cursor", str, description="From `next` or `previous`")]
ROLE_DENIED = {403: ([ErrorCode.PERMISSION_DENIED], "Your role lacks the permission.")}
REAUTH_OR_ROLE_DENIED = {
    403: (
        [ErrorCode.PERMISSION_DENIED, ErrorCode.REAUTHENTICATION_REQUIRED],
        "Your role lacks the permission, or the `password`/`code` is missing or wrong "
        "(`reauthentication_required`, `details.methods`).",
    ),
    429: ([ErrorCode.LOCKED_OUT], "Too many wrong passwords or codes (see Retry-After), or throttled."),
}
LAST_OWNER = {409: ([ErrorCode.LAST_OWNER], "The tenant would be left without an owner.")}

# What POST/GET /tenants create and list is served under /t/{tenant_slug}/; an issued invitation's
# token is what /invitations/{token}/accept takes.
alias_collection("/api/v1/tenants", "/api/v1/t/")
register_link("tenant_invitations_create", "201", "invitation_accept", token="$response.body#/token")

TENANTS_MINE_LIST = {
    "operation_id": "tenants_mine_list",
    "summary": "My tenants with my role in each",
    "parameters": LIMIT,
    "responses": {200: MyTenantSerializer(many=True)},
    "examples": [
        example(
            "Mine", {"tenant": TENANT_EXAMPLE, "role": "owner", "joined_at": "2026-11-26T13:00:00Z"}, response_only=True
        )
    ],
}
TENANTS_CREATE = {
    "operation_id": "tenants_create",
    "summary": "Create a tenant (I become its owner)",
    "request": TenantCreateSerializer,
    "responses": {
        201: TenantSerializer,
        **error_responses({400: ([ErrorCode.VALIDATION_ERROR], "Invalid, reserved or taken slug, or bad fields.")}),
    },
    "examples": [
        example(
            "Create",
            {"name": "Corner Shop", "slug": "corner-shop", "currency": "EUR", "time_zone": "Europe/Paris"},
            request_only=True,
        ),
        example("Created", TENANT_EXAMPLE, response_only=True, status_codes=["201"]),
    ],
}
TENANT_RETRIEVE = {"operation_id": "tenant_retrieve", "summary": "The tenant", "responses": {200: TenantSerializer}}
TENANT_UPDATE = {
    "operation_id": "tenant_update",
    "summary": "Change the tenant (tenant.edit)",
    "request": TenantUpdateSerializer,
    "responses": {200: TenantSerializer, **error_responses(ROLE_DENIED)},
    "examples": [example("Rename", {"name": "Corner Shop & Co"}, request_only=True)],
}
TENANT_DESTROY = {
    "operation_id": "tenant_destroy",
    "summary": "Delete the tenant and everything it owns (owners; re-authenticate with password or code in the body)",
    "request": ReauthenticationSerializer,
    "responses": {204: None, **error_responses(REAUTH_OR_ROLE_DENIED)},
}
TENANT_LEAVE = {
    "operation_id": "tenant_leave",
    "summary": "Leave the tenant (not as its last owner)",
    "request": None,
    "responses": {204: None, **error_responses(LAST_OWNER)},
}
TENANT_MEMBERS_LIST = {
    "operation_id": "tenant_members_list",
    "summary": "Members",
    "parameters": LIMIT,
    "responses": {200: MemberSerializer(many=True)},
    "examples": [example("Member", MEMBER_EXAMPLE, response_only=True)],
}
TENANT_MEMBER_RETRIEVE = {
    "operation_id": "tenant_member_retrieve",
    "summary": "A member",
    "responses": {200: MemberSerializer},
}
TENANT_MEMBER_UPDATE = {
    "operation_id": "tenant_member_update",
    "summary": "Change a member's role (members.manage; owners only for the owner role)",
    "request": MemberUpdateSerializer,
    "responses": {200: MemberSerializer, **error_responses({**ROLE_DENIED, **LAST_OWNER})},
    "examples": [example("Make editor", {"role": "editor"}, request_only=True)],
}
TENANT_MEMBER_DESTROY = {
    "operation_id": "tenant_member_destroy",
    "summary": "Remove a member (members.manage; owners only for an owner)",
    "responses": {204: None, **error_responses({**ROLE_DENIED, **LAST_OWNER})},
}
TENANT_INVITATIONS_LIST = {
    "operation_id": "tenant_invitations_list",
    "summary": "Invitations (members.manage)",
    "parameters": LIMIT,
    "responses": {200: InvitationSerializer(many=True), **error_responses(ROLE_DENIED)},
    "examples": [example("Pending", INVITATION_EXAMPLE, response_only=True)],
}
TENANT_INVITATIONS_CREATE = {
    "operation_id": "tenant_invitations_create",
    "summary": "Invite someone (members.manage); the token is returned this once",
    "request": InvitationCreateSerializer,
    "responses": {
        201: IssuedInvitationSerializer,
        **error_responses(
            {
                **ROLE_DENIED,
                429: ([ErrorCode.TOO_MANY_INVITATIONS], "Too many invitations from this tenant today."),
            }
        ),
    },
    "examples": [
        example("Invite", {"email": "kim@example.com", "role": "viewer"}, request_only=True),
        example(
            "Issued",
            {**INVITATION_EXAMPLE, "token": "q1w2e3...", "accept_url": "https://bazaar.example/invitations/q1w2e3.../"},
            response_only=True,
            status_codes=["201"],
        ),
    ],
}
TENANT_INVITATION_REVOKE = {
    "operation_id": "tenant_invitation_revoke",
    "summary": "Revoke an invitation (members.manage)",
    "responses": {
        204: None,
        **error_responses({409: ([ErrorCode.INVITATION_CLOSED], "Already accepted, revoked or expired.")}),
    },
}
INVITATION_ACCEPT = {
    "operation_id": "invitation_accept",
    "summary": "Accept an invitation",
    "request": None,
    "responses": {
        200: MyTenantSerializer,
        **error_responses(
            {
                403: ([ErrorCode.INVITATION_EMAIL_MISMATCH, ErrorCode.EMAIL_UNVERIFIED], "Not for this account yet."),
                404: ([ErrorCode.INVITATION_NOT_FOUND], "Unknown token."),
                409: ([ErrorCode.ALREADY_MEMBER], "Already a member."),
                410: (
                    [ErrorCode.INVITATION_USED, ErrorCode.INVITATION_REVOKED, ErrorCode.INVITATION_EXPIRED],
                    "Used, revoked or expired.",
                ),
            }
        ),
    },
    "examples": [
        example(
            "Joined",
            {"tenant": TENANT_EXAMPLE, "role": "viewer", "joined_at": "2026-11-26T13:20:00Z"},
            response_only=True,
        )
    ],
}
TENANT_AUDIT_LIST = {
    "operation_id": "tenant_audit_list",
    "summary": "Audit trail, newest first (members.manage)",
    "parameters": LIMIT,
    "responses": {200: AuditEntrySerializer(many=True), **error_responses(ROLE_DENIED)},
    "examples": [
        example(
            "Role change",
            {
                "id": 9,
                "action": "member.role_change",
                "actor": "owner@example.com",
                "target": "sam@example.com",
                "metadata": {"from": "editor", "to": "admin"},
                "created_at": "2026-11-26T13:30:00Z",
            },
            response_only=True,
        )
    ],
}
