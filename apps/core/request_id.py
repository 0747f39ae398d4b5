"""Request ids: accept a sane ``X-Request-ID`` from the caller, otherwise make one."""

import re
import uuid

SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
HEADER = "X-Request-ID"


def make_request_id() -> str:
    """A new random request id (32 hex characters)."""
    return uuid.uuid4().hex


def accept_request_id(value: str | None) -> str:
    """Return ``value`` if it is a safe id (8-128 of ``A-Za-z0-9._:-``), else a new one."""
    if value and SAFE_REQUEST_ID.match(value):
        return value
    return make_request_id()
