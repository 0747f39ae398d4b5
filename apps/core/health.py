"""Readiness checks for the services a request may need, and what an outage of each means.

``/readyz`` answers within about two seconds whatever is down: the database check borrows a pool
connection with a 2 s bound (``DB_CONNECT_TIMEOUT``) while the other checks run at the same time
in threads, each with its own short timeout.

- **required** (503 when failing): the database. Without PostgreSQL nothing can be served.
- **degradable** (200 with ``"status": "degraded"``): the cache (pages are served from PostgreSQL),
  the token store (sign-in fails closed with 503, everything else is served) and the broker (work
  waits in the outbox, ``outbox_pending``). Taking every instance out of the load balancer
  because Redis or RabbitMQ is away would turn a degradation into an outage.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from kombu import Connection

from apps.core.cache import breaker_state

REQUIRED = ("database",)
DATABASE_TIMEOUT = 1.5  # /readyz must report a PostgreSQL outage within 2 s


def check_database(timeout: float = DATABASE_TIMEOUT) -> None:
    """Run ``SELECT 1`` on the default database, waiting at most ``timeout`` for a connection."""
    connection = connections["default"]
    pool = connection.pool if connection.vendor == "postgresql" else None
    if pool is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return
    with pool.connection(timeout=timeout) as conn:  # the pool checks the connection before lending it
        conn.execute("SELECT 1")


def check_cache() -> None:
    """Write and read back a key in the default cache, through its breaker (an open one fails fast)."""
    cache = caches["default"]
    cache.set("readyz:probe", "1", timeout=5)
    if cache.get("readyz:probe") != "1":
        state = breaker_state("default")
        raise RuntimeError("breaker open" if state == "open" else "cache did not return what was written")


def check_token_store() -> None:
    """Ping the token store's Redis (skipped without ``TOKEN_STORE_URL``: the in-process store)."""
    url = settings.TOKEN_STORE_URL
    if url:
        _redis_client(url).ping()


@lru_cache(maxsize=8)
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def check_broker(timeout: float = 1.0) -> None:
    """Connect to the Celery broker (skipped when tasks run eagerly with no broker)."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return

    with Connection(url, connect_timeout=timeout) as connection:
        connection.ensure_connection(max_retries=0, timeout=timeout)  # one attempt, no backoff sleep


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "token_store": check_token_store,
    "broker": check_broker,
}


def _outcome(check: Callable[[], None]) -> str:
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return f"error: {type(exc).__name__}"
    return "ok"


def run_checks() -> dict[str, str]:
    """Run every check (the database here, the others at the same time in threads); name -> result."""
    others = {name: check for name, check in CHECKS.items() if name != "database"}
    with ThreadPoolExecutor(max_workers=len(others), thread_name_prefix="readyz") as pool:
        futures = {name: pool.submit(_outcome, check) for name, check in others.items()}
        results = {"database": _outcome(CHECKS["database"])} if "database" in CHECKS else {}
        results.update({name: future.result() for name, future in futures.items()})
    return results


def outbox_backlog() -> int | None:
    """Outbox rows waiting for the broker (``None`` if the database cannot say)."""
    from apps.core.outbox import count_pending  # noqa: PLC0415 - outbox imports models; health loads early

    try:
        return count_pending()
    except Exception:  # noqa: BLE001 - reported as unknown
        return None


def liveness_response() -> JsonResponse:
    """``/healthz``: 200 while the process answers; touches no dependency."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


def readiness_response() -> JsonResponse:
    """``/readyz``: every check; 503 only when a required one failed, else ``ok`` or ``degraded``."""
    results = run_checks()
    failed = [name for name, result in results.items() if result != "ok"]
    required_failed = [name for name in failed if name in REQUIRED]
    status = "fail" if required_failed else "degraded" if failed else "ok"
    body = {
        "status": status,
        "checks": results,
        "failed": failed,
        "cache_breaker": breaker_state("default"),
        "outbox_pending": None if required_failed else outbox_backlog(),
    }
    response = JsonResponse(body, status=503 if required_failed else 200)
    add_never_cache_headers(response)
    return response
