"""Readiness checks for the services a request may need: database, cache and broker."""

from __future__ import annotations

import socket
from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers


def check_database() -> None:
    """Run ``SELECT 1`` on the default database."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    """Write and read back a key in the default cache."""
    cache.set("readyz:probe", "1", timeout=5)
    if cache.get("readyz:probe") != "1":
        raise RuntimeError("cache did not return what was written")


def check_broker(timeout: float = 2.0) -> None:
    """Connect to the Celery broker (skipped when tasks run eagerly with no broker)."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return
    from kombu import Connection

    with Connection(url, connect_timeout=timeout) as connection:
        connection.ensure_connection(max_retries=0, timeout=timeout)  # one attempt, no backoff sleep


def check_tcp(url: str, default_port: int, timeout: float = 2.0) -> None:
    """Open a TCP connection to the host and port of ``url``."""
    parsed = urlparse(url)
    with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=timeout):
        pass


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def run_checks() -> dict[str, str]:
    """Run every readiness check; map each name to ``"ok"`` or a short failure reason."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            results[name] = f"error: {type(exc).__name__}"
    return results


def liveness_response() -> JsonResponse:
    """``/healthz``: 200 while the process answers; touches no dependency."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


def readiness_response() -> JsonResponse:
    """``/readyz``: every check; 503 naming whichever failed."""
    results = run_checks()
    failed = [name for name, result in results.items() if result != "ok"]
    response = JsonResponse(
        {"status": "fail" if failed else "ok", "checks": results, "failed": failed}, status=503 if failed else 200
    )
    add_never_cache_headers(response)
    return response
