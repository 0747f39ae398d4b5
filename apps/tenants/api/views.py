"""The tenants API: my tenants, a tenant, its members and invitations, accepting an invitation.

Views are thin: parse with a serializer, call one service or selector, serialize the result.
Tenant-scoped views declare ``tenant_permissions`` (checked by ``TenantMemberPermission``).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.reauth import confirm_identity
from apps.core.errors import ApplicationError, ErrorCode
from apps.core.throttling import WITH_SCOPE
from apps.tenants import selectors, services
from apps.tenants.api import schema as api_schema
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


class MyTenantsView(GenericAPIView):
    """``GET /api/v1/tenants``: my memberships; ``POST``: create a tenant (I become its owner)."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyTenantSerializer
    pagination_class = TenantsCursorPagination
    throttle_classes = WITH_SCOPE
    throttle_scope, throttle_scope_methods = "tenant_create", ("POST",)

    def get_queryset(self):
        return selectors.list_memberships_for_user(user=self.request.user).order_by("pk")

    @extend_schema(**api_schema.TENANTS_MINE_LIST)
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MyTenantSerializer(page, many=True).data)

    @extend_schema(**api_schema.TENANTS_CREATE)
    def post(self, request):
        serializer = TenantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = services.create_tenant(user=request.user, **serializer.validated_data)
        return Response(TenantSerializer(tenant).data, status=status.HTTP_201_CREATED)


class TenantDetailView(TenantScopedAPIMixin, GenericAPIView):
    """``/api/v1/t/<slug>/``: read, change (name, currency, time zone) or delete the tenant."""

    tenant_permissions = {"GET": "tenant.view", "PATCH": "tenant.edit", "DELETE": "tenant.delete"}
    serializer_class = TenantSerializer

    @extend_schema(**api_schema.TENANT_RETRIEVE)
    def get(self, request, tenant_slug):
        return Response(TenantSerializer(self.tenant).data)

    @extend_schema(**api_schema.TENANT_UPDATE)
    def patch(self, request, tenant_slug):
        serializer = TenantUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant = services.update_tenant(tenant=self.tenant, by=request.user, **serializer.validated_data)
        return Response(TenantSerializer(tenant).data)

    @extend_schema(**api_schema.TENANT_DESTROY)
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

    @extend_schema(**api_schema.TENANT_LEAVE)
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

    @extend_schema(**api_schema.TENANT_MEMBERS_LIST)
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
            raise ApplicationError("No such member.", code=ErrorCode.NOT_FOUND, status=404)
        return member

    @extend_schema(**api_schema.TENANT_MEMBER_RETRIEVE)
    def get(self, request, tenant_slug, membership_id):
        return Response(MemberSerializer(self.get_member(membership_id)).data)

    @extend_schema(**api_schema.TENANT_MEMBER_UPDATE)
    def patch(self, request, tenant_slug, membership_id):
        serializer = MemberUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.change_role(
            tenant=self.tenant, by=request.user, membership_id=membership_id, role=serializer.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(**api_schema.TENANT_MEMBER_DESTROY)
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

    @extend_schema(**api_schema.TENANT_INVITATIONS_LIST)
    def get(self, request, tenant_slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    @extend_schema(**api_schema.TENANT_INVITATIONS_CREATE)
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

    @extend_schema(**api_schema.TENANT_INVITATION_REVOKE)
    def delete(self, request, tenant_slug, invitation_id):
        services.revoke_invitation(tenant=self.tenant, by=request.user, invitation_id=invitation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AcceptInvitationView(GenericAPIView):
    """``POST /api/v1/invitations/<token>/accept``: join the tenant as the logged-in, invited user."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyTenantSerializer

    @extend_schema(**api_schema.INVITATION_ACCEPT)
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

    @extend_schema(**api_schema.TENANT_AUDIT_LIST)
    def get(self, request, tenant_slug):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)
