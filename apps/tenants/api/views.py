"""The tenants API: my tenants, a tenant, its members and invitations, accepting an invitation.

Views are thin: parse with a serializer, call one service or selector, serialize the result.
Tenant-scoped views declare ``tenant_permissions`` (checked by ``TenantMemberPermission``).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.reauth import confirm_identity
from apps.core.errors import ApplicationError
from apps.core.throttling import WITH_SCOPE
from apps.tenants import selectors, services
from apps.tenants.api.pagination import NewestFirstCursorPagination, TenantsCursorPagination
from apps.tenants.api.permissions import TenantScopedAPIMixin
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
from apps.tenants.emails import invitation_url

ERROR_EXAMPLE = {
    "error": {
        "code": "validation_error",
        "message": "slug: The address “admin” is reserved. Choose another.",
        "details": {"slug": ["The address “admin” is reserved. Choose another."]},
        "request_id": "0f6c2b1e9a8d4c7b",
    }
}
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
error_responses = {
    400: OpenApiResponse(
        description="Invalid input (error shape)", examples=[OpenApiExample("Invalid", ERROR_EXAMPLE)]
    ),
    401: OpenApiResponse(description="Not authenticated (error shape)"),
    403: OpenApiResponse(description="Your role lacks the permission (error shape)"),
    404: OpenApiResponse(description="No such tenant, or you are not a member (error shape)"),
}


class MyTenantsView(GenericAPIView):
    """``GET /api/v1/tenants``: my memberships; ``POST``: create a tenant (I become its owner)."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyTenantSerializer
    pagination_class = TenantsCursorPagination
    throttle_classes = WITH_SCOPE
    throttle_scope, throttle_scope_methods = "tenant_create", ("POST",)

    def get_queryset(self):
        return selectors.list_memberships_for_user(user=self.request.user).order_by("pk")

    @extend_schema(
        operation_id="tenants_mine_list",
        summary="My tenants with my role in each",
        responses={200: MyTenantSerializer(many=True), 401: error_responses[401]},
        examples=[
            OpenApiExample(
                "Mine",
                {"tenant": TENANT_EXAMPLE, "role": "owner", "joined_at": "2026-11-26T13:00:00Z"},
                response_only=True,
            )
        ],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MyTenantSerializer(page, many=True).data)

    @extend_schema(
        operation_id="tenants_create",
        summary="Create a tenant",
        request=TenantCreateSerializer,
        responses={201: TenantSerializer, 400: error_responses[400], 401: error_responses[401]},
        examples=[
            OpenApiExample(
                "Create",
                {"name": "Corner Shop", "slug": "corner-shop", "currency": "EUR", "time_zone": "Europe/Paris"},
                request_only=True,
            ),
            OpenApiExample("Created", TENANT_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request):
        serializer = TenantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = services.create_tenant(user=request.user, **serializer.validated_data)
        return Response(TenantSerializer(tenant).data, status=status.HTTP_201_CREATED)


class TenantDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``/api/v1/t/<slug>/``: read, change (name, currency, time zone) or delete the tenant."""

    tenant_permissions = {"GET": "tenant.view", "PATCH": "tenant.edit", "DELETE": "tenant.delete"}
    serializer_class = TenantSerializer

    @extend_schema(
        operation_id="tenant_retrieve", summary="The tenant", responses={200: TenantSerializer, **error_responses}
    )
    def get(self, request, tenant_slug):
        return Response(TenantSerializer(self.tenant).data)

    @extend_schema(
        operation_id="tenant_update",
        summary="Change the tenant (tenant.edit)",
        request=TenantUpdateSerializer,
        responses={200: TenantSerializer, **error_responses},
        examples=[OpenApiExample("Rename", {"name": "Corner Shop & Co"}, request_only=True)],
    )
    def patch(self, request, tenant_slug):
        serializer = TenantUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = services.update_tenant(tenant=self.tenant, by=request.user, **serializer.validated_data)
        return Response(TenantSerializer(tenant).data)

    @extend_schema(
        operation_id="tenant_destroy",
        summary="Delete the tenant (owners; re-authenticate with password or code in the body)",
        request=ReauthenticationSerializer,
        responses={204: None, **error_responses},
    )
    def delete(self, request, tenant_slug):
        serializer = ReauthenticationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        confirm_identity(
            request=request._request, user=request.user, password=data.get("password"), code=data.get("code")
        )
        services.delete_tenant(tenant=self.tenant, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LeaveTenantView(TenantScopedAPIMixin, GenericAPIView):
    """``POST /api/v1/t/<slug>/leave``: leave the tenant (not as its last owner)."""

    tenant_permissions = {"POST": "tenant.view"}
    serializer_class = None

    @extend_schema(
        operation_id="tenant_leave",
        summary="Leave the tenant",
        request=None,
        responses={204: None, 409: OpenApiResponse(description="Last owner"), **error_responses},
    )
    def post(self, request, tenant_slug):
        services.leave_tenant(tenant=self.tenant, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListView(TenantScopedAPIMixin, GenericAPIView):
    """``GET /api/v1/t/<slug>/members/``: the members and their roles."""

    tenant_permissions = {"GET": "members.view"}
    serializer_class = MemberSerializer
    pagination_class = TenantsCursorPagination

    def get_queryset(self):
        return selectors.list_members(tenant=self.tenant).order_by("pk")

    @extend_schema(
        operation_id="tenant_members_list",
        summary="Members",
        responses={200: MemberSerializer(many=True), **error_responses},
        examples=[OpenApiExample("Member", MEMBER_EXAMPLE, response_only=True)],
    )
    def get(self, request, tenant_slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MemberSerializer(page, many=True).data)


class MemberDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``/api/v1/t/<slug>/members/<id>/``: read, change the role of, or remove a member."""

    tenant_permissions = {"GET": "members.view", "PATCH": "members.manage", "DELETE": "members.manage"}
    serializer_class = MemberSerializer

    def get_member(self, membership_id):
        member = selectors.get_member(tenant=self.tenant, membership_id=membership_id)
        if member is None:
            raise ApplicationError("No such member.", code="not_found", status=404)
        return member

    @extend_schema(
        operation_id="tenant_member_retrieve", summary="A member", responses={200: MemberSerializer, **error_responses}
    )
    def get(self, request, tenant_slug, membership_id):
        return Response(MemberSerializer(self.get_member(membership_id)).data)

    @extend_schema(
        operation_id="tenant_member_update",
        summary="Change a member's role (members.manage)",
        request=MemberUpdateSerializer,
        responses={200: MemberSerializer, 409: OpenApiResponse(description="Last owner"), **error_responses},
        examples=[OpenApiExample("Make editor", {"role": "editor"}, request_only=True)],
    )
    def patch(self, request, tenant_slug, membership_id):
        serializer = MemberUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.change_role(
            tenant=self.tenant, by=request.user, membership_id=membership_id, role=serializer.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(
        operation_id="tenant_member_destroy",
        summary="Remove a member (members.manage)",
        responses={204: None, 409: OpenApiResponse(description="Last owner"), **error_responses},
    )
    def delete(self, request, tenant_slug, membership_id):
        services.remove_member(tenant=self.tenant, by=request.user, membership_id=membership_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationListView(TenantScopedAPIMixin, GenericAPIView):
    """``/api/v1/t/<slug>/invitations/``: list invitations, or invite someone (emails them a link)."""

    tenant_permissions = {"GET": "members.manage", "POST": "members.manage"}
    serializer_class = InvitationSerializer
    pagination_class = TenantsCursorPagination
    throttle_classes = WITH_SCOPE
    throttle_scope, throttle_scope_methods = "invitations", ("POST",)

    def get_queryset(self):
        return selectors.list_invitations(tenant=self.tenant).order_by("pk")

    @extend_schema(
        operation_id="tenant_invitations_list",
        summary="Invitations (members.manage)",
        responses={200: InvitationSerializer(many=True), **error_responses},
        examples=[OpenApiExample("Pending", INVITATION_EXAMPLE, response_only=True)],
    )
    def get(self, request, tenant_slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="tenant_invitations_create",
        summary="Invite someone (members.manage); the token is returned this once",
        request=InvitationCreateSerializer,
        responses={201: IssuedInvitationSerializer, **error_responses},
        examples=[
            OpenApiExample("Invite", {"email": "kim@example.com", "role": "viewer"}, request_only=True),
            OpenApiExample(
                "Issued",
                {
                    **INVITATION_EXAMPLE,
                    "token": "q1w2e3...",
                    "accept_url": "https://bazaar.example/invitations/q1w2e3.../",
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def post(self, request, tenant_slug):
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = services.invite_member(tenant=self.tenant, by=request.user, **serializer.validated_data)
        invitation = issued.invitation
        invitation.token = issued.token
        invitation.accept_url = invitation_url(issued.token)
        return Response(IssuedInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``DELETE /api/v1/t/<slug>/invitations/<id>/``: revoke a pending invitation."""

    tenant_permissions = {"DELETE": "members.manage"}
    serializer_class = InvitationSerializer

    @extend_schema(
        operation_id="tenant_invitation_revoke",
        summary="Revoke an invitation (members.manage)",
        responses={204: None, 409: OpenApiResponse(description="Already accepted or revoked"), **error_responses},
    )
    def delete(self, request, tenant_slug, invitation_id):
        services.revoke_invitation(tenant=self.tenant, by=request.user, invitation_id=invitation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AcceptInvitationView(GenericAPIView):
    """``POST /api/v1/invitations/<token>/accept``: join the tenant as the logged-in, invited user."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyTenantSerializer

    @extend_schema(
        operation_id="invitation_accept",
        summary="Accept an invitation",
        request=None,
        responses={
            200: MyTenantSerializer,
            401: error_responses[401],
            403: OpenApiResponse(description="The invitation is for another email (invitation_email_mismatch)"),
            404: OpenApiResponse(description="Unknown token (invitation_not_found)"),
            409: OpenApiResponse(description="Already a member"),
            410: OpenApiResponse(description="Expired, revoked or already used"),
        },
        examples=[
            OpenApiExample(
                "Joined",
                {"tenant": TENANT_EXAMPLE, "role": "viewer", "joined_at": "2026-11-26T13:20:00Z"},
                response_only=True,
            )
        ],
    )
    def post(self, request, token):
        membership = services.accept_invitation(token=token, user=request.user)
        return Response(MyTenantSerializer(membership).data)


class AuditEntryListView(TenantScopedAPIMixin, GenericAPIView):
    """``GET /api/v1/t/<slug>/audit/``: the tenant's audit trail, newest first (members.manage)."""

    tenant_permissions = {"GET": "members.manage"}
    serializer_class = AuditEntrySerializer
    pagination_class = NewestFirstCursorPagination

    def get_queryset(self):
        return selectors.list_audit_entries(tenant=self.tenant).order_by("-pk")

    @extend_schema(
        operation_id="tenant_audit_list",
        summary="Audit trail (members.manage)",
        responses={200: AuditEntrySerializer(many=True), **error_responses},
        examples=[
            OpenApiExample(
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
    )
    def get(self, request, tenant_slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)
