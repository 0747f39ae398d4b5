"""Request and response shapes of the accounts API."""

from rest_framework import serializers

from apps.accounts.models import NAME_MAX_LENGTH
from apps.accounts.tokens import CLIENTS


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, default="")


class RegisterAcceptedSerializer(serializers.Serializer):
    """The answer to a sign-up, the same for a new and an already registered address."""

    email = serializers.EmailField()
    status = serializers.CharField()
    message = serializers.CharField()


class TokenObtainSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    client = serializers.ChoiceField(choices=CLIENTS, default="web")


class TokenMfaSerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=1024)
    code = serializers.CharField(max_length=64)


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    access_expires_at = serializers.DateTimeField()
    refresh_expires_at = serializers.DateTimeField()


class MeSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    name = serializers.CharField(read_only=True)
    email_verified = serializers.BooleanField(read_only=True)
    date_joined = serializers.DateTimeField(read_only=True)


class MeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, allow_blank=True)


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    details = serializers.DictField()
    request_id = serializers.CharField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    """The error shape of every non-2xx API response (documentation only)."""

    error = ErrorBodySerializer()
