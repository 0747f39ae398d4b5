"""The ingest buffer: a Redis stream between the ingest request and the event store.

The request only ``XADD``s one entry per accepted batch. Drainers (the ``drain_events`` Celery task,
``manage.py drain_events``) read with a consumer group (``XREADGROUP``), store the rows with one
idempotent multi-row insert, then ``XACK`` (and ``XDEL``). A drainer that dies between reading and
acknowledging leaves its entries pending; the next drain takes them over with ``XAUTOCLAIM`` once
they have been idle for ``min_idle_ms``. Delivery is at least once, the insert is idempotent on
``(tenant_id, occurred_at, event_id)``, so nothing is lost and nothing is stored twice.

Without Redis (the embedded SQLite demo) batches are written straight to the store.
"""

from __future__ import annotations

import json
import logging
import socket
from dataclasses import dataclass
from functools import lru_cache

import redis
from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from prometheus_client import Counter

from apps.analytics import event_store, rollups
from apps.analytics.catalog_bridge import resolve_products
from apps.analytics.event_store import EventRow
from apps.analytics.models import AnalyticsSettings
from apps.core.cache import CircuitBreaker

logger = logging.getLogger(__name__)

GROUP = "analytics-drain"
# Errors caused by an entry's content (parked in the dead-letter stream). Connection and
# operational errors are not among them: they propagate, the entries stay pending and are retried.
POISON_ERRORS = (ValueError, KeyError, TypeError, DataError, IntegrityError)
DEFAULT_MIN_IDLE_MS = 60_000


def stream_name() -> str:
    return settings.ANALYTICS_STREAM


def redis_available() -> bool:
    """Whether the stream's Redis is configured (``ANALYTICS_REDIS_URL``, default ``REDIS_URL``)."""
    return bool(settings.ANALYTICS_REDIS_URL)


def _redis():
    """The stream's own Redis (persistent, ``noeviction``), apart from the evictable cache."""
    return _client(settings.ANALYTICS_REDIS_URL)


@lru_cache(maxsize=4)
def _client(url: str):
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)


def ensure_group() -> None:
    """Create the stream and its consumer group if missing."""

    try:
        _redis().xgroup_create(stream_name(), GROUP, id="0", mkstream=True)
    except redis.ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


# --- the stream's Redis going away ------------------------------------------------------------
# Ingest requests use the stream's Redis for their rate limits, duplicate marks and the XADD. When
# it fails, the request is served again without it (rate limits and marks in the cache, the batch
# written straight to PostgreSQL, as in the embedded mode): slower, nothing lost, never a 500. A
# breaker per process keeps a dead Redis from costing every request a connection attempt.
STREAM_ERRORS: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
STREAM_FALLBACKS = Counter(
    "bazaar_analytics_stream_fallbacks_total", "Ingest requests served without the stream's Redis (stored directly)"
)


@lru_cache(maxsize=4)
def _breaker(url: str) -> CircuitBreaker:
    return CircuitBreaker(
        f"analytics-stream:{url.rsplit('@', 1)[-1]}", interval=settings.ANALYTICS_STREAM_BREAKER_SECONDS
    )


def stream_up() -> bool:
    """Whether an ingest request should use the stream's Redis now: it is configured, and it has
    not failed within the last ``ANALYTICS_STREAM_BREAKER_SECONDS`` (or this request is the one
    trial after that interval). Report the outcome with :func:`stream_ok` / :func:`stream_failed`."""
    return redis_available() and _breaker(settings.ANALYTICS_REDIS_URL).allow()


def stream_ok() -> None:
    """The stream's Redis answered: close its breaker (after a trial)."""
    _breaker(settings.ANALYTICS_REDIS_URL).record_success()


def stream_failed(exc: BaseException) -> None:
    """The stream's Redis failed: open its breaker for one interval; the caller serves without it."""
    breaker = _breaker(settings.ANALYTICS_REDIS_URL)
    if not breaker.is_open:
        logger.warning("analytics stream Redis failed; ingesting straight to the database", exc_info=exc)
    breaker.record_failure()
    STREAM_FALLBACKS.inc()


def push_batch(*, tenant_id: int, events: list[dict], context: dict, direct: bool = False) -> None:
    """Buffer one accepted batch. ``context`` holds ``visitor``, ``user_id`` and ``received_at``.

    ``direct`` (or no stream configured) stores it in PostgreSQL at once instead."""
    payload = json.dumps({"tenant_id": tenant_id, "events": events, **context}, separators=(",", ":"))
    if direct or not redis_available():
        store_payloads([payload])
        return
    maxlen = settings.ANALYTICS_STREAM_MAXLEN
    _redis().xadd(stream_name(), {"d": payload}, maxlen=maxlen, approximate=True)


def payload_rows(payload: str) -> list[EventRow]:
    """The rows of one buffered batch."""
    data = json.loads(payload)
    received_at = parse_datetime(data["received_at"])
    return [
        EventRow(
            tenant_id=data["tenant_id"],
            occurred_at=parse_datetime(event["occurred_at"]),
            event_id=event["event_id"],
            received_at=received_at,
            type=event["type"],
            visitor=data["visitor"],
            user_id=data.get("user_id"),
            url=event["url"],
            referrer=event["referrer"],
            product_ref=event["product_ref"],
            query=event["query"],
            results_count=event["results_count"],
            props=event["props"],
        )
        for event in data["events"]
    ]


def store_payloads(payloads: list[str]) -> int:
    """Store buffered batches in one transaction: resolve products, insert idempotently, mark the
    touched days for the rollup. Returns how many rows were new."""

    rows = [row for payload in payloads for row in payload_rows(payload)]
    live = _live_tenants({row.tenant_id for row in rows})
    rows = [row for row in rows if row.tenant_id in live]
    if not rows:
        return 0
    resolve_products(rows)
    with transaction.atomic():
        inserted = event_store.write_batch(rows)
        rollups.mark_dirty(rows)
    return inserted


def _live_tenants(tenant_ids: set[int]) -> set[int]:
    """The tenants that still exist (their settings row goes with them): events buffered for a
    tenant erased meanwhile are dropped, never stored."""

    # Platform job across the tenants present in one drained batch.
    found = AnalyticsSettings.objects.all_tenants().filter(tenant_id__in=tenant_ids).values_list("tenant_id", flat=True)
    return set(found)


@dataclass
class DrainResult:
    read: int = 0
    reclaimed: int = 0
    inserted: int = 0
    dead: int = 0


def read_new(*, consumer: str, count: int = 200, block_ms: int | None = None) -> list[tuple[str, str]]:
    """Entries never delivered to any consumer, now pending on ``consumer`` (not yet acknowledged)."""
    ensure_group()
    response = _redis().xreadgroup(GROUP, consumer, {stream_name(): ">"}, count=count, block=block_ms)
    entries = []
    for _stream, items in response or []:
        entries.extend(items)
    return [(_text(entry_id), _text(fields[b"d"])) for entry_id, fields in entries if fields]


def claim_stale(*, consumer: str, min_idle_ms: int = DEFAULT_MIN_IDLE_MS, count: int = 200) -> list[tuple[str, str]]:
    """Take over entries another consumer read but did not acknowledge within ``min_idle_ms``."""
    ensure_group()
    result = _redis().xautoclaim(stream_name(), GROUP, consumer, min_idle_time=min_idle_ms, start_id="0-0", count=count)
    entries = result[1]
    return [(_text(entry_id), _text(fields[b"d"])) for entry_id, fields in entries if fields]


def acknowledge(entry_ids: list[str]) -> None:
    """Acknowledge and delete stored entries."""
    if entry_ids:
        client = _redis()
        pipe = client.pipeline()
        pipe.xack(stream_name(), GROUP, *entry_ids)
        pipe.xdel(stream_name(), *entry_ids)
        pipe.execute()


def drain(
    *, consumer: str | None = None, count: int = 200, min_idle_ms: int = DEFAULT_MIN_IDLE_MS, max_rounds: int = 1000
) -> DrainResult:
    """Drain the stream until it is empty (or ``max_rounds``): reclaim stale entries, then new ones."""
    consumer = consumer or f"{socket.gethostname()}-drain"
    result = DrainResult()
    if not redis_available():
        return result
    for _ in range(max_rounds):
        stale = claim_stale(consumer=consumer, min_idle_ms=min_idle_ms, count=count)
        fresh = read_new(consumer=consumer, count=count) if len(stale) < count else []
        entries = stale + fresh
        if not entries:
            break
        result.reclaimed += len(stale)
        result.read += len(entries)
        try:
            result.inserted += store_payloads([payload for _, payload in entries])
        except POISON_ERRORS:
            # One bad entry must not block the stream: store one by one, park the failures.
            for entry_id, payload in entries:
                try:
                    result.inserted += store_payloads([payload])
                except POISON_ERRORS:
                    dead_letter(entry_id, payload)
                    result.dead += 1
        acknowledge([entry_id for entry_id, _ in entries])
    return result


def dead_letter_stream() -> str:
    return stream_name() + ":dead"


def dead_letter(entry_id: str, payload: str) -> None:
    """Keep an entry that cannot be stored in a side stream for inspection (then it is acked)."""
    logger.error("analytics entry could not be stored; moved to the dead-letter stream", extra={"entry": entry_id})
    _redis().xadd(dead_letter_stream(), {"d": payload, "id": entry_id}, maxlen=100_000, approximate=True)


def pending_count() -> int:
    """Entries read but not acknowledged (monitoring)."""
    ensure_group()
    return int(_redis().xpending(stream_name(), GROUP)["pending"])


def stream_length() -> int:
    return int(_redis().xlen(stream_name())) if redis_available() else 0


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value
