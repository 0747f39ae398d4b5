"""The stored form of invitation tokens: only a hash is kept, the raw token is mailed once.

Its own module so that the selectors (lookup by token) and the services (issue, accept) share it
without the selectors importing the services."""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    """The stored form of an invitation token (SHA-256, hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
