"""Synthetic but realistic storefront traffic, for ``seed_events``, the demo and benchmarks.

Visitors arrive with a daily rhythm (quiet nights, busy evenings), browse a few pages with a
Zipf-like preference for popular products, sometimes search (some searches find nothing) and
come from a handful of referrers. About a third of sessions are a visitor coming back later the
same day (after more than the 30-minute session gap), so visitors and sessions differ as they do
on a real shop. The visitor hash rotates daily, so a visitor is never the same across days.
Output rows are tuples in ``event_store.COLUMNS`` order.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from apps.analytics.models import EventType

RETURN_SHARE = 0.35  # of sessions: a visitor already seen today, coming back
RETURN_AFTER = timedelta(minutes=45)  # longer than the rollups' session gap
HOURLY_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 8, 8, 8, 9, 10, 12, 13, 12, 9, 5, 2]
REFERRERS = ["", "", "", "", "www.google.com", "duckduckgo.com", "www.instagram.com", "news.ycombinator.com"]
SEARCHES = ["boots", "red dress", "parka", "wool socks", "sunglasses", "tent", "unicorn", "linen shirt", "scarf"]
ZERO_RESULT = {"unicorn"}


def _zipf_index(rng: random.Random, size: int) -> int:
    """An index in ``range(size)``, small indexes much more likely (approximately Zipf s=1)."""
    return min(size - 1, int(math.exp(rng.random() * math.log(size + 1))) - 1)


def generate(
    *,
    tenant_id: int,
    start: datetime,
    days: int,
    events: int,
    products: list[tuple[str, str]] | None = None,
    base_path: str = "/",
    seed: int = 42,
) -> Iterator[tuple]:
    """About ``events`` rows over ``days`` days from ``start`` (UTC). ``products``: (url path, ref)."""
    rng = random.Random(seed)  # reproducible, not security sensitive
    products = products or [(f"{base_path}p/product-{n}/", f"SKU-{n:05d}") for n in range(1, 501)]
    weights = [w for _ in range(days) for w in HOURLY_WEIGHTS]
    total_weight = sum(weights)
    received = start + timedelta(days=days)
    made = 0
    budget_per_hour = [events * w / total_weight for w in weights]
    carry = 0.0
    last_seen: dict[str, datetime] = {}  # today's visitors and when their last session ended
    for hour_index, budget in enumerate(budget_per_hour):
        carry += budget
        hour_start = start + timedelta(hours=hour_index)
        if hour_index % 24 == 0:
            last_seen = {}  # a new day: the visitor hash has rotated
        while carry >= 1 and made < events:
            moment = hour_start + timedelta(seconds=rng.random() * 3600)
            visitor = _pick_visitor(rng, last_seen, moment)
            referrer = rng.choice(REFERRERS)
            for step in range(rng.choice([1, 1, 2, 3, 4, 5, 8])):
                if made >= events or carry < 1:
                    break
                row_type, url, ref, query, results = EventType.PAGE_VIEW, base_path, "", "", None
                roll = rng.random()
                if step and roll < 0.12:
                    row_type, query = EventType.SEARCH, rng.choice(SEARCHES)
                    url = f"{base_path}search"
                    results = 0 if query in ZERO_RESULT else rng.randint(1, 40)
                elif step and roll < 0.55 and made + 2 <= events:
                    url, ref = products[_zipf_index(rng, len(products))]
                    yield _row(tenant_id, moment, EventType.PAGE_VIEW, visitor, url, "", "", "", None, received)
                    made += 1
                    carry -= 1
                    row_type = EventType.PRODUCT_VIEW
                yield _row(
                    tenant_id,
                    moment,
                    row_type,
                    visitor,
                    url,
                    referrer if not step else "",
                    ref,
                    query,
                    results,
                    received,
                )
                made += 1
                carry -= 1
                last_seen[visitor] = moment
                moment += timedelta(seconds=rng.randint(5, 600))
    while made < events:  # rounding leftovers: single page views in the last hour
        visitor = uuid.UUID(int=rng.getrandbits(128)).hex
        moment = received - timedelta(seconds=rng.random() * 3600)
        yield _row(tenant_id, moment, EventType.PAGE_VIEW, visitor, base_path, "", "", "", None, received)
        made += 1


def _pick_visitor(rng: random.Random, last_seen: dict[str, datetime], moment: datetime) -> str:
    """A returning visitor of today (gone for longer than a session gap) about a third of the time, else a new one."""
    if last_seen and rng.random() < RETURN_SHARE:
        candidate = rng.choice(list(last_seen))
        if moment - last_seen[candidate] > RETURN_AFTER:
            return candidate
    return uuid.UUID(int=rng.getrandbits(128)).hex


def _row(tenant_id, moment, event_type, visitor, url, referrer, ref, query, results, received) -> tuple:
    return (
        tenant_id,
        moment,
        uuid.uuid4(),
        received,
        str(event_type),
        visitor,
        None,
        url,
        referrer,
        ref,
        None,
        query,
        results,
        {},
    )
