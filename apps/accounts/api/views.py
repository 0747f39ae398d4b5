"""The accounts API: register, tokens (obtain, refresh, logout, logout-all) and ``/me``.

Views stay thin: validate the shape, call one service, render.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import mfa, selectors, services
from apps.accounts.api import schema as api_schema
from apps.accounts.api.serializers import (
    MeSerializer,
    MeUpdateSerializer,
    RefreshSerializer,
    RegisterAcceptedSerializer,
    RegisterSerializer,
    TokenMfaSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
)
from apps.core.throttling import ScopedRateThrottle  # scope auth fails closed (docs/operations.md)


def me_payload(user) -> dict:
    """The ``/me`` document for ``user``."""
    return MeSerializer(
        {
            "public_id": user.public_id,
            "email": user.email,
            "name": user.name,
            "email_verified": selectors.is_email_verified(user=user),
            "date_joined": user.date_joined,
        }
    ).data


def pair_payload(pair) -> dict:
    return TokenPairSerializer(
        {
            "access": pair.access,
            "refresh": pair.refresh,
            "access_expires_at": pair.access_expires_at,
            "refresh_expires_at": pair.refresh_expires_at,
        }
    ).data


class AuthView(APIView):
    """Base of the public auth endpoints: no authentication needed, throttled (scope ``auth``)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(AuthView):
    """Mobile sign-up: creates an unverified account and mails the verification link."""

    @extend_schema(**api_schema.AUTH_REGISTER)
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.register_user(request=request._request, **serializer.validated_data)
        # The same answer whether or not the address was registered already (no enumeration).
        body = {
            "email": serializer.validated_data["email"].strip().lower(),
            "status": "verification_sent",
            "message": "Check your inbox: we sent a link to finish signing up.",
        }
        return Response(RegisterAcceptedSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class TokenObtainView(AuthView):
    """Log in with email and password; starts a refresh-token family (one per login)."""

    @extend_schema(**api_schema.AUTH_TOKEN)
    def post(self, request):
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = services.authenticate_for_tokens(
            request=request._request, email=data["email"], password=data["password"]
        )
        if selectors.has_mfa(user=user):
            raise mfa.start_challenge(user=user, client=data["client"])
        pair = services.issue_tokens(user=user, client=data["client"])
        return Response(pair_payload(pair))


class TokenMfaView(AuthView):
    """Second step of a login with two-factor on: the challenge plus a TOTP or recovery code."""

    @extend_schema(**api_schema.AUTH_TOKEN_MFA)
    def post(self, request):
        serializer = TokenMfaSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user, client = mfa.complete_challenge(request=request._request, challenge=data["challenge"], code=data["code"])
        pair = services.issue_tokens(user=user, client=client)
        return Response(pair_payload(pair))


class TokenRefreshView(AuthView):
    """Rotate a refresh token (one use each); reuse of a rotated token revokes its family."""

    @extend_schema(**api_schema.AUTH_TOKEN_REFRESH)
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = services.refresh_tokens(refresh=serializer.validated_data["refresh"])
        return Response(pair_payload(pair))


class LogoutView(AuthView):
    """Revoke the family of the given refresh token (this session only); idempotent."""

    @extend_schema(**api_schema.AUTH_LOGOUT)
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.revoke_refresh_family(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every refresh family of the caller and bump its token version."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(**api_schema.AUTH_LOGOUT_ALL)
    def post(self, request):
        services.revoke_all_tokens(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The signed-in user's account (memberships: ``GET /api/v1/tenants``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(**api_schema.ME_RETRIEVE)
    def get(self, request):
        return Response(me_payload(request.user))

    @extend_schema(**api_schema.ME_UPDATE)
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.update_profile(user=request.user, name=serializer.validated_data["name"])
        return Response(me_payload(user))
