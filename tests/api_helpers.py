"""Helpers for the API tests: the one error shape of every API answer."""

from __future__ import annotations

ERROR_KEYS = {"code", "message", "details", "request_id"}


def assert_error(response, status: int, code: str) -> dict:
    """``response`` has ``status`` and is the error document with ``code``; returns the error."""
    body = response.json()
    assert response.status_code == status, body
    assert set(body["error"]) == ERROR_KEYS and body["error"]["code"] == code, body
    return body["error"]
