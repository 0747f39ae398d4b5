"""Serializers of the tenants API: input shapes are validated again by the services."""

from __future__ import annotations

from drf_spectacular.plumbing import build_choice_field
from rest_framework import serializers

from apps.core.api_fields import StrictCharField
from apps.core.schema import documented
from apps.tenants.models import AuditEntry, Invitation, Membership, Tenant
from apps.tenants.roles import Role
from apps.tenants.validation import (
    CURRENCIES,
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    RESERVED_SLUGS,
    SLUG_MAX_LENGTH,
    SLUG_MIN_LENGTH,
    SLUG_PATTERN,
    time_zone_names,
)

# What apps.tenants.validation enforces, stated in the schema (the services keep the messages).
NAME_SCHEMA = {"minLength": 1, "maxLength": NAME_MAX_LENGTH, "pattern": r"\S"}
SLUG_SCHEMA = {
    "minLength": SLUG_MIN_LENGTH,
    "maxLength": SLUG_MAX_LENGTH,
    "pattern": SLUG_PATTERN.pattern,
    "not": {"enum": sorted(RESERVED_SLUGS)},
}
CURRENCY_SCHEMA = {"enum": list(CURRENCIES)}
# As drf-spectacular states a ChoiceField of the roles, so every "role" shares one RoleEnum component.
ROLE_SCHEMA = {
    key: value
    for key, value in build_choice_field(serializers.ChoiceField(choices=Role.choices)).items()
    if key != "description"
}


def time_zone_schema() -> dict:
    return {"enum": list(time_zone_names())}


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
    name = documented(
        StrictCharField(max_length=NAME_MAX_LENGTH, help_text="Display name, 1-100 characters; no control characters"),
        **NAME_SCHEMA,
    )
    slug = documented(
        StrictCharField(
            max_length=SLUG_MAX_LENGTH,
            help_text="Address: a-z, 0-9 and single hyphens, 3-50 characters; not a reserved word "
            "(admin, api, shop...) and not taken by another shop (400 otherwise). Permanent.",
        ),
        **SLUG_SCHEMA,
    )
    currency = documented(
        StrictCharField(max_length=10, required=False, default="EUR", help_text="ISO 4217 code"),
        **CURRENCY_SCHEMA,
    )
    time_zone = documented(
        StrictCharField(max_length=100, required=False, default="UTC", help_text="IANA time zone"),
        **time_zone_schema(),
    )


class TenantUpdateSerializer(serializers.Serializer):
    name = documented(StrictCharField(max_length=NAME_MAX_LENGTH, required=False), **NAME_SCHEMA)
    currency = documented(StrictCharField(max_length=10, required=False), **CURRENCY_SCHEMA)
    time_zone = documented(StrictCharField(max_length=100, required=False), **time_zone_schema())


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
    role = documented(
        StrictCharField(
            max_length=32, help_text="Only an owner may make or change an owner; the last owner cannot be demoted (409)"
        ),
        **ROLE_SCHEMA,
    )


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
    email = documented(
        StrictCharField(
            max_length=EMAIL_MAX_LENGTH,
            help_text="The invitee's email address; not one with a pending invitation (400)",
        ),
        format="email",
        maxLength=EMAIL_MAX_LENGTH,
    )
    role = documented(StrictCharField(max_length=32, help_text="Only an owner may invite an owner"), **ROLE_SCHEMA)


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

    password = StrictCharField(required=False, max_length=4096, write_only=True, help_text="Your password (or code)")
    code = StrictCharField(required=False, max_length=64, help_text="A two-factor or recovery code (or password)")
