"""OpenAPI documentation of the accounts API: examples and error codes per operation.

Each constant is the ``extend_schema`` arguments of one view method (``@extend_schema(**AUTH_TOKEN)``);
the generic error statuses come from ``apps.core.schema.add_error_responses``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

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
from apps.core.errors import ErrorCode
from apps.core.schema import error_responses, example

PAIR = OpenApiResponse(
    TokenPairSerializer,
    examples=[
        example(
            "token pair",
            {
                "access": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
                "refresh": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...",
                "access_expires_at": "2026-11-26T13:05:00Z",
                "refresh_expires_at": "2026-12-03T13:00:00Z",
            },
            response_only=True,
        )
    ],
)
BAD_REFRESH = {
    401: (
        [ErrorCode.INVALID_TOKEN, ErrorCode.TOKEN_REVOKED, ErrorCode.TOKEN_REUSED],
        "Not a live refresh token: any text the server did not issue (malformed, truncated, with a null "
        "byte), expired or tampered (`invalid_token`), signed out (`token_revoked`) or already rotated "
        "(`token_reused`). The client signs in again.",
    ),
}
STORE_DOWN = {503: ([ErrorCode.TOKEN_STORE_UNAVAILABLE], "The token store is unavailable.")}

AUTH_REGISTER = {
    "operation_id": "auth_register",
    "tags": ["auth"],
    "summary": "Create an account (mobile sign-up): 202 and an email either way; tokens once the email is verified",
    "description": "The password must pass the password rules: at least 10 characters, not entirely "
    "numeric, not a common password and not too similar to the email or name (400 `validation_error`).",
    "request": RegisterSerializer,
    "responses": {
        202: RegisterAcceptedSerializer,
        **error_responses({400: ([], "Invalid email, name or password.")}),
    },
    "examples": [
        example(
            "sign up",
            {"email": "ada@example.com", "password": "violet-otter-47-meadow", "name": "Ada"},
            request_only=True,
        )
    ],
}
AUTH_TOKEN = {
    "operation_id": "auth_token",
    "tags": ["auth"],
    "summary": "Log in: an access token (5-10 min web, 15-20 min mobile) and a refresh token (7 days)",
    "request": TokenObtainSerializer,
    "responses": {
        200: PAIR,
        **error_responses(
            {
                401: (
                    [ErrorCode.INVALID_CREDENTIALS, ErrorCode.MFA_REQUIRED],
                    "Wrong email or password, or two-factor is on: `mfa_required` with `details.challenge`, "
                    "`details.methods` and `details.expires_in` (continue with `auth/token/mfa`).",
                ),
                403: ([ErrorCode.EMAIL_UNVERIFIED, ErrorCode.INACTIVE], "The account cannot log in yet."),
                429: ([ErrorCode.LOCKED_OUT], "Too many failures (see Retry-After), or throttled."),
                **STORE_DOWN,
            }
        ),
    },
}
AUTH_TOKEN_MFA = {
    "operation_id": "auth_token_mfa",
    "tags": ["auth"],
    "summary": "Log in, step two: exchange the mfa_required challenge and a code for tokens",
    "description": "`code` is a TOTP code or a recovery code (spent once used).",
    "request": TokenMfaSerializer,
    "responses": {
        200: PAIR,
        **error_responses(
            {
                401: (
                    [ErrorCode.MFA_CHALLENGE_INVALID, ErrorCode.INVALID_MFA_CODE],
                    "The challenge expired or is unknown (log in again), or the code is wrong.",
                ),
                429: ([ErrorCode.LOCKED_OUT], "Too many failures (see Retry-After), or throttled."),
                **STORE_DOWN,
            }
        ),
    },
}
AUTH_TOKEN_REFRESH = {
    "operation_id": "auth_token_refresh",
    "tags": ["auth"],
    "summary": "Rotate a refresh token: a new pair; reusing a rotated token signs the session out",
    "description": "`refresh` is checked as a token, not as text: whatever string is sent, a token the server "
    "did not issue is 401 like an expired one, so a client handles every bad token the same way (sign in "
    "again). 400 `validation_error` only for a missing, empty, non-string or over-4096-character `refresh`.",
    "request": RefreshSerializer,
    "responses": {200: PAIR, **error_responses({**BAD_REFRESH, **STORE_DOWN})},
}
AUTH_LOGOUT = {
    "operation_id": "auth_logout",
    "tags": ["auth"],
    "summary": "Log out one session: revoke the refresh token's family",
    "request": RefreshSerializer,
    "responses": {204: None, **error_responses({**BAD_REFRESH, **STORE_DOWN})},
}
AUTH_LOGOUT_ALL = {
    "operation_id": "auth_logout_all",
    "tags": ["auth"],
    "summary": "Log out everywhere: revoke every refresh token and refuse access tokens already issued",
    "request": None,
    "responses": {204: None},
}
ME_RETRIEVE = {"operation_id": "me_retrieve", "tags": ["me"], "summary": "Who am I", "responses": {200: MeSerializer}}
ME_UPDATE = {
    "operation_id": "me_update",
    "tags": ["me"],
    "summary": "Change my display name",
    "request": MeUpdateSerializer,
    "responses": {200: MeSerializer},
    "examples": [example("rename", {"name": "Ada King"}, request_only=True)],
}
