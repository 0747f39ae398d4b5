"""Synthetic but realistic storefront traffic, for ``seed_events``, the demo and benchmarks.

Visitors arrive with a daily rhythm (quiet nights, busy evenings), browse a few pages with a
Zipf-like preference for popular products, sometimes search (some searches find nothing) and
come from a handful of referrers. About a third of sessions are a visitor coming back later the
same day (after more than the 30-minute session gap), so visitors and sessions differ as they do
on a real shop. The visitor hash rotates daily, so a visitor is never the same across days.
Some product views lead to an add to cart; some sessions with a cart start a checkout, and some
checkouts end in an order: a server-side ``purchase`` (visitor ``""``, props as
``purchases.build_purchase_event`` writes them, a voucher on some), so the commerce cards and the
funnel have data. Output rows are tuples in ``event_store.COLUMNS`` order.
"""

from __future__ import annotations

import math
import random
import uuid
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta

from apps.analytics.models import EventType

RETURN_SHARE = 0.35  # of sessions: a visitor already seen today, coming back
RETURN_AFTER = timedelta(minutes=45)  # longer than the rollups' session gap
HOURLY_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 8, 8, 8, 9, 10, 12, 13, 12, 9, 5, 2]
REFERRERS = ["", "", "", "", "www.google.com", "duckduckgo.com", "www.instagram.com", "news.ycombinator.com"]
SEARCHES = ["boots", "red dress", "parka", "wool socks", "sunglasses", "tent", "unicorn", "linen shirt", "scarf"]
ZERO_RESULT = {"unicorn"}
ADD_TO_CART_SHARE = 0.15  # of product views
CHECKOUT_SHARE = 0.5  # of sessions with something in the cart
PURCHASE_SHARE = 0.6  # of checkouts started
VOUCHERS = ["WINTER10", "WELCOME5"]
VOUCHER_SHARE = 0.2  # of orders


def price_cents(product: tuple) -> int:
    """A product's price in cents: its third item when given, else a stable made-up one."""
    if len(product) > 2 and product[2]:
        return int(product[2])
    return 500 + zlib.crc32(product[1].encode()) % 9500


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
    """About ``events`` rows over ``days`` days from ``start`` (UTC). ``products``: (url path, ref)
    or (url path, ref, price in cents)."""
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
            cart: list[tuple[str, int, int]] = []  # (ref, units, cents per unit)
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
                    product = products[_zipf_index(rng, len(products))]
                    url, ref = product[0], product[1]
                    yield _row(tenant_id, moment, EventType.PAGE_VIEW, visitor, url, "", "", "", None, received)
                    made += 1
                    carry -= 1
                    row_type = EventType.PRODUCT_VIEW
                    if rng.random() < ADD_TO_CART_SHARE and made + 2 <= events:
                        units = rng.choice([1, 1, 1, 2, 3])
                        cart.append((ref, units, price_cents(product)))
                        yield _row(
                            tenant_id, moment + timedelta(seconds=20), EventType.ADD_TO_CART, visitor, url, "",
                            ref, "", None, received, {"quantity": units},
                        )  # fmt: skip
                        made += 1
                        carry -= 1
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
            if cart and made < events and rng.random() < CHECKOUT_SHARE:
                yield _row(
                    tenant_id, moment, EventType.CHECKOUT_STARTED, visitor, f"{base_path}checkout/", "", "", "",
                    None, received,
                )  # fmt: skip
                made += 1
                carry -= 1
                if made < events and rng.random() < PURCHASE_SHARE:
                    props = purchase_props(cart, voucher=rng.choice(VOUCHERS) if rng.random() < VOUCHER_SHARE else "")
                    yield _row(tenant_id, moment + timedelta(minutes=3), EventType.PURCHASE, "", "", "", "", "", None,
                               received, props)  # fmt: skip
                    made += 1
                    carry -= 1
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


def purchase_props(cart: list[tuple[str, int, int]], *, voucher: str = "") -> dict:
    """The props of a made-up order of ``cart`` [(ref, units, cents per unit)] (no tax or shipping)."""
    items = [
        {"product_id": None, "ref": ref, "units": units, "revenue_cents": units * cents} for ref, units, cents in cart
    ]
    revenue = sum(item["revenue_cents"] for item in items)
    props = {
        "revenue_cents": revenue,
        "revenue": f"{revenue // 100}.{revenue % 100:02d}",
        "units": sum(item["units"] for item in items),
        "items": items,
    }
    if voucher:
        props["voucher"] = voucher
    return props


def _row(tenant_id, moment, event_type, visitor, url, referrer, ref, query, results, received, props=None) -> tuple:
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
        props or {},
    )
