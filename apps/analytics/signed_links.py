"""Signed, expiring download links (report exports and GDPR exports share the rules)."""

from __future__ import annotations

from django.core import signing

from apps.core.errors import ApplicationError, ErrorCode, NotFound

LINK_MAX_AGE = 24 * 3600  # seconds a download link stays valid


def make_link_token(payload: dict, *, salt: str) -> str:
    """A signed token carrying ``payload``; ``salt`` keeps one kind of link from opening another."""
    return signing.dumps(payload, salt=salt)


def read_link_token(token: str, *, salt: str, max_age: int = LINK_MAX_AGE) -> dict:
    """The payload of a link token: 410 ``link_expired`` when older than ``max_age``, 404 when forged."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise ApplicationError("This download link has expired.", code=ErrorCode.LINK_EXPIRED, status=410) from None
    except signing.BadSignature:
        raise NotFound() from None
