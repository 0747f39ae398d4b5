"""Request and response shapes of the accounts API."""

from rest_framework import serializers

from apps.accounts.models import NAME_MAX_LENGTH
from apps.accounts.tokens import CLIENTS
from apps.core.api_fields import CredentialTextField, StrictCharField, StrictEmailField
from apps.core.schema import documented


class RegisterSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=254)
    # The password rules (AUTH_PASSWORD_VALIDATORS) that a schema can state: 10+ characters, not all digits.
    password = documented(
        StrictCharField(max_length=4096, trim_whitespace=False, write_only=True),
        minLength=10,
        pattern=r"\D",
    )
    name = StrictCharField(max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, default="")


class RegisterAcceptedSerializer(serializers.Serializer):
    """The answer to a sign-up, the same for a new and an already registered address."""

    email = serializers.EmailField()
    status = serializers.CharField()
    message = serializers.CharField()


class TokenObtainSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=254)
    password = StrictCharField(max_length=4096, trim_whitespace=False, write_only=True)
    client = serializers.ChoiceField(choices=CLIENTS, default="web")


class TokenMfaSerializer(serializers.Serializer):
    challenge = CredentialTextField(max_length=1024, help_text="`details.challenge` of the 401 `mfa_required`")
    code = CredentialTextField(max_length=64, help_text="A TOTP code or a recovery code")


class RefreshSerializer(serializers.Serializer):
    refresh = CredentialTextField(
        max_length=4096, help_text="The refresh token of a pair; any other text is 401 `invalid_token`"
    )


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
    name = StrictCharField(max_length=NAME_MAX_LENGTH, allow_blank=True)
