"""DRF authentication by ``Authorization: Bearer <access token>``.

The token is verified by simplejwt (signature, expiry, type); then the user is loaded by public
id and the token's ``ver`` claim must equal ``User.token_version``: logout-all and password changes
bump it, so access tokens issued before are refused at once. That is one indexed query per
request, the same query that loads the user anyway, so no extra cache is needed.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework_simplejwt.exceptions import TokenError

from apps.accounts.models import User
from apps.accounts.tokens import decode_access


class InvalidAccessToken(exceptions.AuthenticationFailed):
    default_code = "invalid_token"
    default_detail = "The access token is invalid or expired."


class JWTAuthentication(authentication.BaseAuthentication):
    """Bearer access tokens; answers 401 ``invalid_token`` for bad, expired or revoked ones."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise InvalidAccessToken("The Authorization header must be 'Bearer <token>'.")
        try:
            raw = header[1].decode("ascii")
            token = decode_access(raw)
        except (UnicodeDecodeError, TokenError):
            raise InvalidAccessToken() from None
        user = User.objects.filter(public_id=token["sub"]).first()
        if user is None or not user.is_active:
            raise InvalidAccessToken()
        if token["ver"] != user.token_version:
            raise InvalidAccessToken("This session was signed out.")
        request.auth_client = token["client"]
        return user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes :class:`JWTAuthentication` in the OpenAPI schema."""

    target_class = "apps.accounts.authentication.JWTAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
