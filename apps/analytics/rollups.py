"""Hourly rollups, rebuilt (overwritten, never incremented) from raw events.

Storing events marks the (tenant, UTC day) buckets they touch as dirty (:func:`mark_dirty`, in the
same transaction as the insert). :func:`rebuild_dirty` (Celery beat, every minute) recomputes every
hour of each dirty day from the raw events and replaces its rows, so retries and late events land
correctly. Sessions are a visitor's events with gaps under 30 minutes; an event also dirties the
days 30 minutes either side, because it can start or continue a session there. A bounce is a
session with fewer than two pageviews. Dimension rollups keep the top ``TOP_N`` keys per hour.

Commerce: ``add_to_cart`` and ``checkout_started`` (beacon) are counted per hour; ``purchase``
events (server-side, visitor ``""``: part of no visit) add an order, its units and its revenue in
cents, and per product (``items``) its revenue and units, and a use of its voucher code;
``refund`` events (server-side too) count and sum the refunded cents; ``cancellation`` events
count, sum what no refund gives back (``cancelled_cents``), the cancelled units, a whole order
(``cancelled_orders``) and per product the cancelled revenue and units and the voucher use given
back (dimensions ``cancel_revenue``, ``cancel_units``, ``cancel_voucher``); reports subtract them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC as dt_utc
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.analytics import event_store
from apps.analytics.models import (
    DailyDimensionRollup,
    Dimension,
    DimensionRollup,
    DirtyDay,
    EventType,
    HourlyRollup,
)

SESSION_GAP = timedelta(minutes=30)
LOOKAHEAD = timedelta(hours=2)
TOP_N = 100
TOP_N_DAILY = 500
COUNTERS = (
    "pageviews",
    "visitors",
    "day_visitors",
    "sessions",
    "bounces",
    "product_views",
    "searches",
    "zero_result_searches",
    "events",
    "add_to_carts",
    "checkouts",
    "orders",
    "units",
    "revenue_cents",
    "refunds",
    "refunded_cents",
    "cancellations",
    "cancelled_orders",
    "cancelled_units",
    "cancelled_cents",
)
STEP_COUNTERS = {
    EventType.ADD_TO_CART: "add_to_carts",
    EventType.CHECKOUT_STARTED: "checkouts",
}


def days_touched(occurred_at: datetime) -> set[date]:
    """The UTC days whose rollups an event at ``occurred_at`` can change."""
    moment = occurred_at.astimezone(dt_utc)
    return {(moment - SESSION_GAP).date(), moment.date(), (moment + SESSION_GAP).date()}


def mark_dirty(rows) -> int:
    """Mark the (tenant, day) buckets touched by ``rows`` (EventRow-like) for rebuilding."""
    now = timezone.now()
    buckets = {(row.tenant_id, day) for row in rows for day in days_touched(row.occurred_at)}
    if not buckets:
        return 0
    DirtyDay.objects.bulk_create(
        [DirtyDay(tenant_id=tenant_id, day=day, marked_at=now) for tenant_id, day in sorted(buckets)],
        update_conflicts=True,
        unique_fields=["tenant", "day"],
        update_fields=["marked_at"],
    )
    return len(buckets)


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(dt_utc).replace(minute=0, second=0, microsecond=0)


def compute_day(*, tenant_id: int, day: date) -> tuple[dict[datetime, dict], dict[tuple[datetime, str], Counter]]:
    """Hourly totals and dimension counters for one tenant and UTC day, from raw events.

    On PostgreSQL the work is pushed down to the database (``event_store.aggregate_day``); the
    pure-Python version below is the reference and runs on SQLite.
    """
    if event_store.is_postgres():
        totals, dimensions = event_store.aggregate_day(
            tenant_id=tenant_id, day=day, session_gap=SESSION_GAP, lookahead=LOOKAHEAD, top_n=TOP_N_DAILY
        )
        return (
            {hour: {**dict.fromkeys(COUNTERS, 0), **values} for hour, values in totals.items()},
            {bucket: Counter(counts) for bucket, counts in dimensions.items()},
        )
    return compute_day_python(tenant_id=tenant_id, day=day)


def compute_day_python(*, tenant_id: int, day: date):
    """The reference implementation: one pass over the day's events ordered by visitor and time."""
    start, end = event_store.day_bounds(day)
    totals: dict[datetime, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    hour_visitors: dict[datetime, set] = defaultdict(set)
    dimensions: dict[tuple[datetime, str], Counter] = defaultdict(Counter)
    rows = event_store.read_range(tenant_id=tenant_id, start=start - SESSION_GAP, end=end + LOOKAHEAD)

    current_visitor = None
    previous_time: datetime | None = None
    session_start: datetime | None = None
    session_pageviews = 0
    seen_today: set[str] = set()

    def close_session():
        if session_start is not None and start <= session_start < end:
            bucket = totals[_hour(session_start)]
            bucket["sessions"] += 1
            if session_pageviews < 2:
                bucket["bounces"] += 1

    for occurred_at, event_type, visitor, url, referrer, product_id, query, results_count, product_ref, props in rows:
        if not visitor:  # a server-side event (purchase): no visit, no session
            if start <= occurred_at < end:
                count_server_event(totals[_hour(occurred_at)], dimensions, _hour(occurred_at), event_type, props)
            continue
        if visitor != current_visitor:
            close_session()
            current_visitor, previous_time, session_start, session_pageviews = visitor, None, None, 0
        if previous_time is None or occurred_at - previous_time > SESSION_GAP:
            close_session()
            session_start, session_pageviews = occurred_at, 0
        previous_time = occurred_at
        if event_type == EventType.PAGE_VIEW:
            session_pageviews += 1
        if not start <= occurred_at < end:
            continue
        hour = _hour(occurred_at)
        bucket = totals[hour]
        bucket["events"] += 1
        hour_visitors[hour].add(visitor)
        if visitor not in seen_today:
            seen_today.add(visitor)
            bucket["day_visitors"] += 1
        if event_type == EventType.PAGE_VIEW:
            bucket["pageviews"] += 1
            if url:
                dimensions[(hour, Dimension.PAGE)][url] += 1
            if referrer:
                dimensions[(hour, Dimension.REFERRER)][referrer] += 1
        elif event_type == EventType.PRODUCT_VIEW:
            bucket["product_views"] += 1
            key = str(product_id) if product_id is not None else f"ref:{product_ref}"
            dimensions[(hour, Dimension.PRODUCT)][key] += 1
        elif event_type in STEP_COUNTERS:
            bucket[STEP_COUNTERS[event_type]] += 1
        elif event_type == EventType.SEARCH:
            bucket["searches"] += 1
            dimensions[(hour, Dimension.SEARCH)][query] += 1
            if results_count == 0:
                bucket["zero_result_searches"] += 1
                dimensions[(hour, Dimension.ZERO_SEARCH)][query] += 1
    close_session()
    for hour, visitors in hour_visitors.items():
        totals[hour]["visitors"] = len(visitors)
    return dict(totals), dict(dimensions)


def count_server_event(bucket: dict, dimensions: dict, hour: datetime, event_type: str, props: dict) -> None:
    """Add one server-side event to its hour: a purchase's order, units, revenue, items, voucher."""
    bucket["events"] += 1
    props = props or {}
    if event_type == EventType.REFUND:
        bucket["refunds"] += 1
        bucket["refunded_cents"] += int(props.get("refund_cents") or 0)
        return
    if event_type == EventType.CANCELLATION:
        count_cancellation(bucket, dimensions, hour, props)
        return
    if event_type != EventType.PURCHASE:
        return
    bucket["orders"] += 1
    bucket["units"] += int(props.get("units") or 0)
    bucket["revenue_cents"] += int(props.get("revenue_cents") or 0)
    if props.get("voucher"):
        dimensions[(hour, Dimension.VOUCHER)][str(props["voucher"])] += 1
    for item in props.get("items") or []:
        key = str(item["product_id"]) if item.get("product_id") is not None else f"ref:{item.get('ref', '')}"
        dimensions[(hour, Dimension.PRODUCT_REVENUE)][key] += int(item.get("revenue_cents") or 0)
        dimensions[(hour, Dimension.PRODUCT_UNITS)][key] += int(item.get("units") or 0)


def count_cancellation(bucket: dict, dimensions: dict, hour: datetime, props: dict) -> None:
    """Add one cancellation to its hour: the order (when whole), units, cents, items, voucher."""
    bucket["cancellations"] += 1
    bucket["cancelled_orders"] += 1 if props.get("whole") else 0
    bucket["cancelled_units"] += int(props.get("units") or 0)
    bucket["cancelled_cents"] += int(props.get("cancelled_cents") or 0)
    if props.get("voucher"):
        dimensions[(hour, Dimension.CANCEL_VOUCHER)][str(props["voucher"])] += 1
    for item in props.get("items") or []:
        key = str(item["product_id"]) if item.get("product_id") is not None else f"ref:{item.get('ref', '')}"
        dimensions[(hour, Dimension.CANCEL_REVENUE)][key] += int(item.get("revenue_cents") or 0)
        dimensions[(hour, Dimension.CANCEL_UNITS)][key] += int(item.get("units") or 0)


def rebuild_day(*, tenant_id: int, day: date) -> int:
    """Recompute and replace the rollups of one tenant's UTC day; returns the hourly rows written."""
    totals, dimensions = compute_day(tenant_id=tenant_id, day=day)
    start, end = event_store.day_bounds(day)
    with transaction.atomic():
        event_store.lock_bucket(tenant_id=tenant_id, day=day)  # concurrent rebuilds of one bucket queue up
        HourlyRollup.objects.for_tenant(tenant_id).filter(hour__gte=start, hour__lt=end).delete()
        DimensionRollup.objects.for_tenant(tenant_id).filter(hour__gte=start, hour__lt=end).delete()
        HourlyRollup.objects.bulk_create(
            [HourlyRollup(tenant_id=tenant_id, hour=hour, **values) for hour, values in sorted(totals.items())]
        )
        DimensionRollup.objects.bulk_create(
            [
                DimensionRollup(tenant_id=tenant_id, hour=hour, dimension=dimension, key=key[:512], count=count)
                for (hour, dimension), counter in dimensions.items()
                for key, count in counter.most_common(TOP_N)
            ],
            batch_size=2000,
        )
        DailyDimensionRollup.objects.for_tenant(tenant_id).filter(day=day).delete()
        DailyDimensionRollup.objects.bulk_create(
            [
                DailyDimensionRollup(tenant_id=tenant_id, day=day, dimension=dimension, key=key[:512], count=count)
                for dimension, counter in daily_dimensions(dimensions).items()
                for key, count in counter.most_common(TOP_N_DAILY)
            ],
            batch_size=2000,
        )
    return len(totals)


def daily_dimensions(dimensions: dict[tuple[datetime, str], Counter]) -> dict[str, Counter]:
    """The day's counters per dimension, summed from the hours (before any top-N cut)."""
    daily: dict[str, Counter] = defaultdict(Counter)
    for (_hour, dimension), counter in dimensions.items():
        daily[dimension].update(counter)
    return daily


def rebuild_range(*, tenant_id: int, first: date, last: date) -> int:
    """Rebuild every UTC day from ``first`` to ``last`` (seeding, repairs)."""
    written, day = 0, first
    while day <= last:
        written += rebuild_day(tenant_id=tenant_id, day=day)
        day += timedelta(days=1)
    return written


def rebuild_tenant_dirty(*, tenant_id: int, limit: int = 31) -> int:
    """Rebuild one tenant's dirty buckets now (the embedded demo has no beat to do it); returns how many."""
    dirty = list(DirtyDay.objects.for_tenant(tenant_id).order_by("marked_at")[:limit])
    for bucket in dirty:
        rebuild_day(tenant_id=tenant_id, day=bucket.day)
        DirtyDay.objects.for_tenant(tenant_id).filter(pk=bucket.pk, marked_at=bucket.marked_at).delete()
    return len(dirty)


def rebuild_dirty(*, limit: int = 500) -> int:
    """Rebuild the dirty buckets (oldest marks first); a bucket marked again meanwhile stays dirty."""
    # Platform job across tenants: each bucket is then handled for its own tenant only.
    dirty = list(DirtyDay.objects.all_tenants().order_by("marked_at")[:limit])
    for bucket in dirty:
        rebuild_day(tenant_id=bucket.tenant_id, day=bucket.day)
        DirtyDay.objects.for_tenant(bucket.tenant_id).filter(pk=bucket.pk, marked_at=bucket.marked_at).delete()
    return len(dirty)
