"""The accounts API: register, tokens (obtain, refresh, logout, logout-all) and ``/me``.

Views stay thin: validate the shape, call one service, render.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import mfa, selectors, services
from apps.accounts.api.serializers import (
    ErrorSerializer,
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

ERROR_EXAMPLE = {
    "error": {
        "code": "validation_error",
        "message": "password: This password is too short. It must contain at least 10 characters.",
        "details": {"password": ["This password is too short. It must contain at least 10 characters."]},
        "request_id": "3f2a9c1e8b7d4a60",
    }
}
PAIR_EXAMPLE = OpenApiExample(
    "token pair",
    value={
        "access": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
        "refresh": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
        "access_expires_at": "2026-11-26T13:05:00Z",
        "refresh_expires_at": "2026-12-03T13:00:00Z",
    },
    response_only=True,
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer, description=description, examples=[OpenApiExample("error", value=ERROR_EXAMPLE)]
    )


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

    @extend_schema(
        operation_id="auth_register",
        tags=["auth"],
        summary="Create an account (mobile sign-up): 202 and an email either way; tokens once the email is verified",
        request=RegisterSerializer,
        responses={
            202: RegisterAcceptedSerializer,
            400: _error("invalid email, name or password"),
            429: _error("throttled"),
        },
        examples=[
            OpenApiExample(
                "sign up",
                value={"email": "ada@example.com", "password": "violet-otter-47-meadow", "name": "Ada"},
                request_only=True,
            )
        ],
    )
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

    @extend_schema(
        operation_id="auth_token",
        tags=["auth"],
        summary="Log in: an access token (5-10 min web, 15-20 min mobile) and a refresh token (7 days)",
        request=TokenObtainSerializer,
        responses={
            200: OpenApiResponse(TokenPairSerializer, examples=[PAIR_EXAMPLE]),
            400: _error("malformed input"),
            401: _error("wrong email or password (invalid_credentials), or mfa_required with a challenge"),
            403: _error("email_unverified or inactive"),
            429: _error("locked_out (too many failures, Retry-After) or throttled"),
            503: _error("token_store_unavailable"),
        },
    )
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

    @extend_schema(
        operation_id="auth_token_mfa",
        tags=["auth"],
        summary="Log in, step two: exchange the mfa_required challenge and a code for tokens",
        request=TokenMfaSerializer,
        responses={
            200: OpenApiResponse(TokenPairSerializer, examples=[PAIR_EXAMPLE]),
            400: _error("malformed input"),
            401: _error("mfa_challenge_invalid (expired: log in again) or invalid_mfa_code"),
            429: _error("locked_out (too many failures, Retry-After) or throttled"),
            503: _error("token_store_unavailable"),
        },
    )
    def post(self, request):
        serializer = TokenMfaSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user, client = mfa.complete_challenge(request=request._request, challenge=data["challenge"], code=data["code"])
        pair = services.issue_tokens(user=user, client=client)
        return Response(pair_payload(pair))


class TokenRefreshView(AuthView):
    """Rotate a refresh token (one use each); reuse of a rotated token revokes its family."""

    @extend_schema(
        operation_id="auth_token_refresh",
        tags=["auth"],
        summary="Rotate a refresh token: a new pair; reusing a rotated token signs the session out",
        request=RefreshSerializer,
        responses={
            200: OpenApiResponse(TokenPairSerializer, examples=[PAIR_EXAMPLE]),
            400: _error("malformed input"),
            401: _error("invalid_token, token_revoked or token_reused"),
            503: _error("token_store_unavailable"),
        },
    )
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = services.refresh_tokens(refresh=serializer.validated_data["refresh"])
        return Response(pair_payload(pair))


class LogoutView(AuthView):
    """Revoke the family of the given refresh token (this session only); idempotent."""

    @extend_schema(
        operation_id="auth_logout",
        tags=["auth"],
        summary="Log out one session: revoke the refresh token's family",
        request=RefreshSerializer,
        responses={204: None, 400: _error("malformed input"), 401: _error("invalid_token"), 503: _error("store down")},
    )
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

    @extend_schema(
        operation_id="auth_logout_all",
        tags=["auth"],
        summary="Log out everywhere: revoke every refresh token and refuse access tokens already issued",
        request=None,
        responses={204: None, 401: _error("not authenticated")},
    )
    def post(self, request):
        services.revoke_all_tokens(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The signed-in user's account (memberships: ``GET /api/v1/tenants``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_retrieve", tags=["me"], summary="Who am I", responses={200: MeSerializer})
    def get(self, request):
        return Response(me_payload(request.user))

    @extend_schema(
        operation_id="me_update",
        tags=["me"],
        summary="Change my display name",
        request=MeUpdateSerializer,
        responses={200: MeSerializer, 400: _error("invalid name")},
        examples=[OpenApiExample("rename", value={"name": "Ada King"}, request_only=True)],
    )
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.update_profile(user=request.user, name=serializer.validated_data["name"])
        return Response(me_payload(user))
