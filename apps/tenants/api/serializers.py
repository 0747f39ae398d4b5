"""Serializers of the tenants API: input shapes are validated again by the services."""

from __future__ import annotations

from rest_framework import serializers

from apps.tenants.models import AuditEntry, Invitation, Membership, Tenant
from apps.tenants.roles import Role


class TenantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tenant
        fields = ["public_id", "slug", "name", "currency", "time_zone", "created_at", "updated_at"]
        read_only_fields = fields


class MyTenantSerializer(serializers.Serializer):
    """One of my memberships: the tenant and my role in it."""

    tenant = TenantSerializer(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    joined_at = serializers.DateTimeField(source="created_at", read_only=True)


class TenantCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Display name, 1-100 characters")
    slug = serializers.CharField(max_length=200, help_text="Address: a-z, 0-9 and hyphens, 3-50 characters")
    currency = serializers.CharField(max_length=10, required=False, default="EUR", help_text="ISO 4217 code")
    time_zone = serializers.CharField(max_length=100, required=False, default="UTC", help_text="IANA time zone")


class TenantUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    currency = serializers.CharField(max_length=10, required=False)
    time_zone = serializers.CharField(max_length=100, required=False)


class MemberUserSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    name = serializers.CharField(read_only=True)


class MemberSerializer(serializers.ModelSerializer):
    user = MemberUserSerializer(read_only=True)
    joined_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "joined_at"]
        read_only_fields = fields


class MemberUpdateSerializer(serializers.Serializer):
    role = serializers.CharField(max_length=32, help_text="owner, admin, editor, analyst or viewer")


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = fields

    def get_invited_by(self, obj) -> str | None:
        return obj.invited_by.email if obj.invited_by else None


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=1000, help_text="The invitee's email address")
    role = serializers.CharField(max_length=32, help_text="owner, admin, editor, analyst or viewer")


class IssuedInvitationSerializer(InvitationSerializer):
    """The invitation just created, with its token and link (shown this once only)."""

    token = serializers.CharField(read_only=True)
    accept_url = serializers.CharField(read_only=True)

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "token", "accept_url"]
        read_only_fields = fields


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_email", read_only=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "action", "actor", "target", "metadata", "created_at"]
        read_only_fields = fields


class ReauthenticationSerializer(serializers.Serializer):
    """A fresh proof for destructive calls: the password, or a two-factor/recovery code."""

    password = serializers.CharField(required=False, max_length=4096, trim_whitespace=False, write_only=True)
    code = serializers.CharField(required=False, max_length=64)
