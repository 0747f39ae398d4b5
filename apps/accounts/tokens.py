"""JSON Web Tokens for the API, signed and verified by djangorestframework-simplejwt.

Claims we add: ``sub`` (the user's public id), ``client`` (``web`` or ``mobile``, which sets the
access lifetime), ``ver`` (``User.token_version``: bumped by logout-all and password changes, so
every token issued before is refused) and, on refresh tokens, ``fam`` (the login family).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, Token

CLIENTS = ("web", "mobile")


class BazaarAccessToken(AccessToken):
    """Short-lived access token (``token_type`` ``access``)."""


class BazaarRefreshToken(Token):
    """Refresh token (``token_type`` ``refresh``); its record lives in the token store."""

    token_type = "refresh"
    lifetime = timedelta(days=7)  # replaced by the family's absolute expiry when minted


def access_lifetime(client: str) -> timedelta:
    """Access-token lifetime for a client type (``JWT_ACCESS_LIFETIME_WEB`` / ``_MOBILE``)."""
    return settings.JWT_ACCESS_LIFETIME_MOBILE if client == "mobile" else settings.JWT_ACCESS_LIFETIME_WEB


@dataclass(frozen=True)
class TokenPair:
    """What ``POST /auth/token`` and ``/auth/token/refresh`` return."""

    access: str
    refresh: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    family_id: str
    refresh_jti: str


def _timestamp(value: datetime) -> int:
    return int(value.timestamp())


def mint_pair(
    *, user, client: str, family_id: str, refresh_expires_at: datetime, now: datetime | None = None
) -> TokenPair:
    """Sign an access token and a refresh token for ``user`` in login family ``family_id``."""
    now = (now or datetime.now(tz=UTC)).replace(microsecond=0)
    access = BazaarAccessToken()
    access["sub"] = str(user.public_id)
    access["client"] = client
    access["ver"] = user.token_version
    access.set_iat(at_time=now)
    access.set_exp(from_time=now, lifetime=access_lifetime(client))

    refresh = BazaarRefreshToken()
    refresh["sub"] = str(user.public_id)
    refresh["client"] = client
    refresh["ver"] = user.token_version
    refresh["fam"] = family_id
    refresh["uid"] = user.pk
    refresh.set_jti()
    refresh.set_iat(at_time=now)
    refresh_expires_at = refresh_expires_at.replace(microsecond=0)
    refresh["exp"] = _timestamp(refresh_expires_at)
    return TokenPair(
        access=str(access),
        refresh=str(refresh),
        access_expires_at=datetime.fromtimestamp(access["exp"], tz=UTC),
        refresh_expires_at=refresh_expires_at,
        family_id=family_id,
        refresh_jti=refresh["jti"],
    )


def new_family_id() -> str:
    """A fresh login-family id."""
    return uuid.uuid4().hex


def decode_refresh(raw: str) -> BazaarRefreshToken:
    """Verify a refresh token's signature, expiry and type; ``TokenError`` if it fails."""
    if not isinstance(raw, str) or not raw or len(raw) > 4096:
        raise TokenError("Malformed token")
    token = BazaarRefreshToken(raw)
    for claim in ("sub", "fam", "uid", "ver", "client", "jti"):
        if claim not in token.payload:
            raise TokenError("Token is missing claims")
    return token


def decode_access(raw: str) -> BazaarAccessToken:
    """Verify an access token's signature, expiry and type; ``TokenError`` if it fails."""
    if not raw or len(raw) > 4096:
        raise TokenError("Malformed token")
    token = BazaarAccessToken(raw)
    for claim in ("sub", "ver", "client"):
        if claim not in token.payload:
            raise TokenError("Token is missing claims")
    return token
