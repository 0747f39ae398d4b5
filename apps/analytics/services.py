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

from apps.analytics import buffer, rollups
from apps.analytics.ingest import parse_batch
from apps.analytics.models import AnalyticsSettings, Consent, new_ingest_key
from apps.analytics.privacy.visitor import is_bot, visitor_hash
from apps.core.context import set_tenant
from apps.core.errors import ApplicationError, Invalid, Throttled
from apps.tenants.access import get_public_tenant

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
        raise Invalid(
            {"retention_months": ["Between 1 and 60 months."]}, message="Retention must be between 1 and 60 months."
        )
    current = get_or_create_settings(tenant=tenant)
    current.retention_months = retention_months
    current.honour_gpc = bool(honour_gpc)
    current.save(update_fields=["retention_months", "honour_gpc", "updated_at"])
    _forget_ingest_config(tenant)
    return current


def _key_cache(tenant_id: int) -> str:
    return f"analytics:settings:{tenant_id}"


def ingest_config_dependency(*, tenant) -> dict:
    """``{cache key: cached config}`` for the page cache: a page carrying the beacon is stale
    once the key rotates or the settings change (the cached config is dropped then)."""
    return {_key_cache(tenant.pk): ingest_config(tenant=tenant)}


def _forget_ingest_config(tenant) -> None:
    """Drop the cached ``ingest_config`` now and again once the change commits: a storefront
    request that read the old row while this transaction was open may have cached it meanwhile."""
    keys = [_key_cache(tenant.pk), _ingest_tenant_key(tenant.slug)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
    tenant.__dict__.pop("_analytics_ingest_config", None)


INGEST_TENANT_SECONDS = 30


def _ingest_tenant_key(slug: str) -> str:
    return f"analytics:tenant:{slug}"


def load_ingest_tenant(*, slug: str):
    """The tenant for the ingest hot path, cached briefly *with* its ingest config, so a beacon
    request reads both in one Redis GET (a key rotation or settings change drops the entry; events
    buffered for a tenant deleted within the window are dropped by the drain)."""
    key = _ingest_tenant_key(slug)
    tenant = cache.get(key)
    if tenant is None:
        tenant = get_public_tenant(slug=slug)
        ingest_config(tenant=tenant)  # memoised on the instance, pickled with it
        cache.set(key, tenant, INGEST_TENANT_SECONDS)
    set_tenant(tenant.slug)
    return tenant


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


def _window() -> tuple[int, int]:
    """The current one-minute window and the seconds until the next one (``Retry-After``)."""
    now = time.time()
    window = int(now // 60)
    return window, max(1, math.ceil((window + 1) * 60 - now))


def _throttled(retry_after: int) -> Throttled:
    return Throttled("Too many analytics events. Slow down and retry later.", retry_after=retry_after)


def sender_limits(*, tenant, ip: str, visitor: str | None, events: int) -> list[tuple[str, int, int]]:
    """The counters one request charges to its sender: (key, amount, limit).

    Per client address, the events it sent (rejected and filtered ones too: they are its own
    budget) and its requests; per visitor hash (address and browser), its events. The address's
    share defaults to 1 % of a tenant's budget, so one address cannot silence a shop.
    """
    window, _ = _window()
    events = max(events, 1)
    limits = [
        (f"analytics:rl:ipe:{ip}:{window}", events, settings.ANALYTICS_RATE_IP_EVENTS_PER_MIN),
        (f"analytics:rl:ip:{ip}:{window}", 1, settings.ANALYTICS_RATE_IP_REQUESTS_PER_MIN),
    ]
    if visitor:
        limits.append(
            (
                f"analytics:rl:v:{tenant.pk}:{visitor}:{window}",
                events,
                settings.ANALYTICS_RATE_VISITOR_EVENTS_PER_MIN,
            )
        )
    return limits


def check_rate_limits(*, tenant, ip: str, events: int, visitor: str | None = None, stream: bool | None = None) -> None:
    """Charge a request to its sender's counters (fixed one-minute windows in Redis: the stream's
    when ``stream`` (default: when it is configured), else the cache).

    Raises ``apps.core.errors.Throttled`` (429 with ``Retry-After``) when the address or the visitor is over its
    limit. The tenant's budget is not touched here: see :func:`_charge_tenant_and_mark`.
    """
    limits = sender_limits(tenant=tenant, ip=ip, visitor=visitor, events=events)
    stream = buffer.redis_available() if stream is None else stream
    counts = _incr_all([(key, amount) for key, amount, _ in limits], ttl=120, stream=stream)
    if any(count > limit for count, (_, _, limit) in zip(counts, limits, strict=True)):
        raise _throttled(_window()[1])


def _incr_all(items: list[tuple[str, int]], *, ttl: int, stream: bool) -> list[int]:
    """Increment several counters in one round trip (the stream's Redis) and return their new
    values; without ``stream``, in the cache."""
    if stream:
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


def _charge_tenant_and_mark(*, tenant, event_ids: list[str], stream: bool) -> list[bool]:
    """Charge the tenant's budget with the valid events of a request that passed its sender's
    limits, and mark each event id as seen, in one round trip.

    Returns, per event id, whether it is new. Raises ``Throttled`` (and unmarks the ids it marked)
    when the tenant's budget is spent."""
    if not event_ids:
        return []
    window, retry_after = _window()
    tenant_key, limit = f"analytics:rl:t:{tenant.pk}:{window}", settings.ANALYTICS_RATE_TENANT_EVENTS_PER_MIN
    if not stream:
        if _incr_all([(tenant_key, len(event_ids))], ttl=120, stream=False)[0] > limit:
            raise _throttled(retry_after)
        return _first_sightings(tenant.pk, event_ids)
    seen_keys = [f"analytics:seen:{tenant.pk}:{event_id}" for event_id in event_ids]
    pipe = buffer._redis().pipeline(transaction=False)
    pipe.incrby(tenant_key, len(event_ids))
    pipe.expire(tenant_key, 120, nx=True)
    for key in seen_keys:
        pipe.set(key, 1, nx=True, ex=DEDUPE_SECONDS)
    results = pipe.execute()
    fresh = [bool(result) for result in results[2:]]
    if int(results[0]) > limit:
        marked = [key for key, new in zip(seen_keys, fresh, strict=True) if new]
        if marked:
            buffer._redis().delete(*marked)
        raise _throttled(retry_after)
    return fresh


def _first_sightings(tenant_id: int, event_ids: list[str]) -> list[bool]:
    """Without Redis (embedded mode): for each event id, whether it is new (and mark it)."""
    keys = [f"analytics:seen:{tenant_id}:{event_id}" for event_id in event_ids]
    return [cache.add(key, 1, DEDUPE_SECONDS) for key in keys]


def _forget_sightings(tenant_id: int, event_ids: list[str], *, stream: bool) -> None:
    keys = [f"analytics:seen:{tenant_id}:{event_id}" for event_id in event_ids]
    if not keys:
        return
    if stream:
        buffer._redis().delete(*keys)  # set raw (no cache key prefix) by _charge_tenant_and_mark
    else:
        cache.delete_many(keys)


def ingest_events(*, tenant, payload, client: ClientInfo, user=None) -> dict:
    """Validate a batch and buffer the accepted events; returns the 202 body.

    - bots, headless browsers and (if the tenant honours it) Global Privacy Control: every event
      is dropped and counted as ``filtered``;
    - each event is skew-corrected and accepted or rejected with a reason;
    - events already received (same ``event_id`` in the last 48 h) are counted as ``duplicate``
      and not buffered again; the store's key makes a re-delivered batch idempotent as well;
    - the visitor is a daily-salted hash; the user is linked only with recorded consent;
    - limits: the sender (address, visitor) is charged every event it sent; the tenant's budget
      only the valid events of senders within their limits, never rejected or filtered ones.

    If the stream's Redis fails, the request is served again without it (``buffer.stream_up``):
    limits and duplicate marks in the cache, the batch stored straight in PostgreSQL.
    """
    stream = buffer.stream_up()
    try:
        body = _ingest(tenant=tenant, payload=payload, client=client, user=user, stream=stream)
    except buffer.STREAM_ERRORS as exc:
        if not stream:
            raise
        buffer.stream_failed(exc)
        return _ingest(tenant=tenant, payload=payload, client=client, user=user, stream=False)
    except ApplicationError:
        if stream:
            buffer.stream_ok()
        raise
    if stream:
        buffer.stream_ok()
    return body


def _ingest(*, tenant, payload, client: ClientInfo, user, stream: bool) -> dict:
    """:func:`ingest_events` with the stream's Redis (``stream``) or without it."""
    now = timezone.now()
    try:
        parsed = parse_batch(payload, now=now)
    except ApplicationError:
        check_rate_limits(tenant=tenant, ip=client.ip, events=1, stream=stream)  # malformed requests count too
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
    visitor = visitor_hash(tenant_id=tenant.pk, ip=client.ip, user_agent=client.user_agent)
    # The sender pays for everything it sent; the tenant only for valid events it keeps.
    check_rate_limits(
        tenant=tenant, ip=client.ip, visitor=visitor, events=len(parsed.events) + len(parsed.rejected), stream=stream
    )
    if is_bot(client.user_agent) or (client.gpc and honour_gpc):
        body["filtered"] = len(parsed.events)
        return body
    fresh_flags = _charge_tenant_and_mark(
        tenant=tenant, event_ids=[event["event_id"] for event in parsed.events], stream=stream
    )
    events = [event for event, fresh in zip(parsed.events, fresh_flags, strict=True) if fresh]
    body["duplicates"] = len(parsed.events) - len(events)
    if events:
        context = {
            "visitor": visitor,
            "user_id": user.pk if has_consent(user=user) else None,
            "received_at": now.isoformat(),
        }
        try:
            buffer.push_batch(tenant_id=tenant.pk, events=events, context=context, direct=not stream)
        except buffer.STREAM_ERRORS:
            raise  # the marks are in the Redis that just failed; the retry without it marks anew
        except Exception:
            _forget_sightings(tenant.pk, [event["event_id"] for event in events], stream=stream)
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
