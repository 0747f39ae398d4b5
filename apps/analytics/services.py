"""Analytics writes: settings and ingest key, consent, event ingestion.

Ingestion never waits on the database insert: accepted events go to the buffer
(:mod:`apps.analytics.buffer`), drained in batches into the event store.
"""

from __future__ import annotations

import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import Throttled

from apps.analytics import buffer, rollups
from apps.analytics.ingest import parse_batch
from apps.analytics.models import AnalyticsSettings, Consent, new_ingest_key
from apps.analytics.privacy.visitor import is_bot, visitor_hash
from apps.core.errors import ApplicationError

DEDUPE_SECONDS = 48 * 3600


# --- settings ----------------------------------------------------------------------------------


def get_or_create_settings(*, tenant) -> AnalyticsSettings:
    """The tenant's analytics settings, created with defaults (and a fresh ingest key) on first use."""
    found = AnalyticsSettings.objects.for_tenant(tenant).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return AnalyticsSettings.objects.create(tenant=tenant)
    except IntegrityError:
        return AnalyticsSettings.objects.for_tenant(tenant).get()


@transaction.atomic
def rotate_ingest_key(*, tenant) -> AnalyticsSettings:
    """Replace the tenant's ingest key; the old one stops working at once."""
    current = get_or_create_settings(tenant=tenant)
    current.ingest_key = new_ingest_key()
    current.key_rotated_at = timezone.now()
    current.save(update_fields=["ingest_key", "key_rotated_at", "updated_at"])
    _forget_ingest_config(tenant)
    return current


@transaction.atomic
def update_settings(*, tenant, retention_months: int, honour_gpc: bool) -> AnalyticsSettings:
    """Change raw-event retention (1 to 60 months) and whether Global Privacy Control is honoured."""
    if not isinstance(retention_months, int) or not 1 <= retention_months <= 60:
        raise ApplicationError(
            "Retention must be between 1 and 60 months.",
            code="validation_error",
            details={"retention_months": ["Between 1 and 60 months."]},
        )
    current = get_or_create_settings(tenant=tenant)
    current.retention_months = retention_months
    current.honour_gpc = bool(honour_gpc)
    current.save(update_fields=["retention_months", "honour_gpc", "updated_at"])
    _forget_ingest_config(tenant)
    return current


def _key_cache(tenant_id: int) -> str:
    return f"analytics:settings:{tenant_id}"


def _forget_ingest_config(tenant) -> None:
    """Drop the cached ``ingest_config`` now and again once the change commits: a storefront
    request that read the old row while this transaction was open may have cached it meanwhile."""
    key = _key_cache(tenant.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    tenant.__dict__.pop("_analytics_ingest_config", None)


def ingest_config(*, tenant) -> tuple[str, bool]:
    """``(ingest key, honour GPC)`` for the tenant, cached briefly (hot path)."""
    memo = getattr(tenant, "_analytics_ingest_config", None)  # once per request: the instance is per request
    if memo is not None:
        return memo
    key = _key_cache(tenant.pk)
    cached = cache.get(key)
    if cached is None:
        fields = ("ingest_key", "honour_gpc")
        cached = AnalyticsSettings.objects.for_tenant(tenant).values_list(*fields).first()
        if cached is None:  # first use: create with defaults, no savepoint (storefront pages pin queries)
            AnalyticsSettings.objects.bulk_create([AnalyticsSettings(tenant=tenant)], ignore_conflicts=True)
            cached = AnalyticsSettings.objects.for_tenant(tenant).values_list(*fields).get()
        cached = tuple(cached)
        cache.set(key, cached, 300)
    tenant._analytics_ingest_config = cached
    return cached


# --- consent -------------------------------------------------------------------------------------


@transaction.atomic
def set_consent(*, user, analytics: bool) -> Consent:
    """Record whether ``user`` agrees to have analytics events linked to their account."""
    consent, _ = Consent.objects.update_or_create(user=user, defaults={"analytics": bool(analytics)})
    cache.delete(f"analytics:consent:{user.pk}")
    return consent


def has_consent(*, user) -> bool:
    """Whether ``user`` has recorded consent to linked analytics (cached briefly)."""
    if user is None or not user.is_authenticated:
        return False
    key = f"analytics:consent:{user.pk}"
    cached = cache.get(key)
    if cached is None:
        cached = Consent.objects.filter(user_id=user.pk, analytics=True).exists()
        cache.set(key, cached, 60)
    return cached


# --- ingestion -----------------------------------------------------------------------------------


@dataclass
class ClientInfo:
    """What the request tells about the sender; only used to hash and filter, never stored."""

    ip: str
    user_agent: str
    gpc: bool = False


def check_ingest_key(*, tenant, key: str | None) -> bool:
    """Whether ``key`` is this tenant's current ingest key (constant-time)."""
    if not key:
        return False
    expected, _ = ingest_config(tenant=tenant)
    return hmac.compare_digest(str(key).encode(), expected.encode())


def _rate(setting: str, default: int) -> int:
    return int(getattr(settings, setting, default))


def check_rate_limits(*, tenant, ip: str, events: int) -> None:
    """Fixed one-minute windows in Redis: events per tenant, requests per client address.

    Raises ``Throttled`` (429 with ``Retry-After``) when a limit is exceeded.
    """
    now = time.time()
    window = int(now // 60)
    retry_after = max(1, math.ceil((window + 1) * 60 - now))
    checks = [
        (f"analytics:rl:t:{tenant.pk}:{window}", events, _rate("ANALYTICS_RATE_TENANT_EVENTS_PER_MIN", 60_000)),
        (f"analytics:rl:ip:{ip}:{window}", 1, _rate("ANALYTICS_RATE_IP_REQUESTS_PER_MIN", 600)),
    ]
    counts = _incr_all([(key, amount) for key, amount, _ in checks], ttl=120)
    if any(count > limit for count, (_, _, limit) in zip(counts, checks, strict=True)):
        raise Throttled(wait=retry_after, detail="Too many analytics events. Slow down and retry later.")


def _incr_all(items: list[tuple[str, int]], *, ttl: int) -> list[int]:
    """Increment several counters in one round trip (Redis) and return their new values."""
    if buffer.redis_available():
        pipe = buffer._redis().pipeline(transaction=False)
        for key, amount in items:
            pipe.incrby(key, amount)
            pipe.expire(key, ttl, nx=True)
        return [int(value) for value in pipe.execute()[::2]]
    counts = []
    for key, amount in items:
        cache.add(key, 0, ttl)
        counts.append(cache.incr(key, amount))
    return counts


def _limit_and_mark(*, tenant, ip: str, events: int, event_ids: list[str]) -> list[bool]:
    """Count the request against both limits and mark each event id as seen, in one round trip.

    Returns, per event id, whether it is new. Raises ``Throttled`` (and unmarks the ids it marked)
    when a limit is exceeded."""
    if not buffer.redis_available():
        check_rate_limits(tenant=tenant, ip=ip, events=events)
        return _first_sightings(tenant.pk, event_ids)
    now = time.time()
    window = int(now // 60)
    limits = [
        (f"analytics:rl:t:{tenant.pk}:{window}", events, _rate("ANALYTICS_RATE_TENANT_EVENTS_PER_MIN", 60_000)),
        (f"analytics:rl:ip:{ip}:{window}", 1, _rate("ANALYTICS_RATE_IP_REQUESTS_PER_MIN", 600)),
    ]
    seen_keys = [f"analytics:seen:{tenant.pk}:{event_id}" for event_id in event_ids]
    pipe = buffer._redis().pipeline(transaction=False)
    for key, amount, _ in limits:
        pipe.incrby(key, amount)
        pipe.expire(key, 120, nx=True)
    for key in seen_keys:
        pipe.set(key, 1, nx=True, ex=DEDUPE_SECONDS)
    results = pipe.execute()
    fresh = [bool(result) for result in results[2 * len(limits) :]]
    if any(int(results[2 * index]) > limit for index, (_, _, limit) in enumerate(limits)):
        marked = [key for key, new in zip(seen_keys, fresh, strict=True) if new]
        if marked:
            buffer._redis().delete(*marked)
        raise Throttled(
            wait=max(1, math.ceil((window + 1) * 60 - now)),
            detail="Too many analytics events. Slow down and retry later.",
        )
    return fresh


def _first_sightings(tenant_id: int, event_ids: list[str]) -> list[bool]:
    """Without Redis (embedded mode): for each event id, whether it is new (and mark it)."""
    keys = [f"analytics:seen:{tenant_id}:{event_id}" for event_id in event_ids]
    return [cache.add(key, 1, DEDUPE_SECONDS) for key in keys]


def _forget_sightings(tenant_id: int, event_ids: list[str]) -> None:
    keys = [f"analytics:seen:{tenant_id}:{event_id}" for event_id in event_ids]
    if not keys:
        return
    if buffer.redis_available():
        buffer._redis().delete(*keys)  # set raw (no cache key prefix) by _limit_and_mark
    else:
        cache.delete_many(keys)


def ingest_events(*, tenant, payload, client: ClientInfo, user=None) -> dict:
    """Validate a batch and buffer the accepted events; returns the 202 body.

    - bots, headless browsers and (if the tenant honours it) Global Privacy Control: every event
      is dropped and counted as ``filtered``;
    - each event is skew-corrected and accepted or rejected with a reason;
    - events already received (same ``event_id`` in the last 48 h) are counted as ``duplicate``
      and not buffered again; the store's key makes a re-delivered batch idempotent as well;
    - the visitor is a daily-salted hash; the user is linked only with recorded consent.
    """
    now = timezone.now()
    try:
        parsed = parse_batch(payload, now=now)
    except ApplicationError:
        check_rate_limits(tenant=tenant, ip=client.ip, events=1)  # malformed requests count too
        raise
    body = {
        "accepted": 0,
        "rejected": len(parsed.rejected),
        "duplicates": 0,
        "filtered": 0,
        "errors": [rejection.as_dict() for rejection in parsed.rejected],
        "skew_seconds": round(parsed.skew_seconds, 3),
    }
    _, honour_gpc = ingest_config(tenant=tenant)
    dropped = is_bot(client.user_agent) or (client.gpc and honour_gpc)
    event_ids = [] if dropped else [event["event_id"] for event in parsed.events]
    # One Redis round trip: both rate limits and the duplicate check.
    fresh_flags = _limit_and_mark(
        tenant=tenant, ip=client.ip, events=len(parsed.events) + len(parsed.rejected), event_ids=event_ids
    )
    if dropped:
        body["filtered"] = len(parsed.events)
        return body
    events = [event for event, fresh in zip(parsed.events, fresh_flags, strict=True) if fresh]
    body["duplicates"] = len(parsed.events) - len(events)
    if events:
        context = {
            "visitor": visitor_hash(tenant_id=tenant.pk, ip=client.ip, user_agent=client.user_agent),
            "user_id": user.pk if has_consent(user=user) else None,
            "received_at": now.isoformat(),
        }
        try:
            buffer.push_batch(tenant_id=tenant.pk, events=events, context=context)
        except Exception:
            _forget_sightings(tenant.pk, [event["event_id"] for event in events])
            raise
    body["accepted"] = len(events)
    return body


def refresh_live_rollups(*, tenant) -> int:
    """In the embedded mode (no Redis stream, no beat), rebuild ``tenant``'s dirty days before a report.

    With Redis and beat the drain and the rollup jobs keep reports at most a minute behind and this
    does nothing; under ``make run`` it is what makes the dashboard show today's visits at once.
    """
    if buffer.redis_available():
        return 0
    return rollups.rebuild_tenant_dirty(tenant_id=tenant.pk)
