"""Anonymous visitors without cookies.

A visitor is ``HMAC-SHA256(daily salt, tenant | IP | user agent)``, truncated. The salt is random,
kept only in the cache (Redis), rotated every UTC day and expires 48 hours after it was made, so
yesterday's hashes cannot be recomputed once it is gone and no visitor can be followed across days
or tenants. The IP address and the user agent are never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from datetime import UTC as dt_utc
from datetime import date, datetime

from django.core.cache import cache

from apps.core.client_ip import get_client_ip

SALT_LIFETIME_SECONDS = 48 * 3600

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|scrape|headless|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|"
    r"pagespeed|curl/|wget/|python-|httpclient|okhttp|go-http-client|java/|libwww|axios/|node-fetch|"
    r"facebookexternalhit|preview|monitor|uptime|pingdom",
    re.IGNORECASE,
)


def _salt_key(day: date) -> str:
    return f"analytics:salt:{day.isoformat()}"


_memo: dict[str, tuple[float, bytes]] = {}
MEMO_SECONDS = 60


def daily_salt(day: date | None = None) -> bytes:
    """The random salt of UTC ``day`` (today by default), made on first use, gone after 48 h.

    The shared copy lives in the cache (Redis); each process keeps it in memory for at most a
    minute to save a round trip per request."""
    day = day or datetime.now(tz=dt_utc).date()
    key = _salt_key(day)
    memo = _memo.get(key)
    if memo is not None and time.monotonic() - memo[0] < MEMO_SECONDS:
        return memo[1]
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_hex(32), SALT_LIFETIME_SECONDS)
        salt = cache.get(key)
    value = bytes.fromhex(salt)
    _memo.clear()
    _memo[key] = (time.monotonic(), value)
    return value


def destroy_salt(day: date) -> None:
    """Forget the salt of ``day`` now (its visitors can no longer be recomputed)."""
    _memo.pop(_salt_key(day), None)
    cache.delete(_salt_key(day))


def visitor_hash(*, tenant_id: int, ip: str, user_agent: str, day: date | None = None) -> str:
    """The anonymous visitor id (32 hex chars) for this tenant, address and browser today."""
    message = f"{tenant_id}|{ip}|{user_agent}".encode()
    return hmac.new(daily_salt(day), message, hashlib.sha256).hexdigest()[:32]


def is_bot(user_agent: str | None) -> bool:
    """Bots, crawlers, scripts and headless browsers (and requests without a user agent)."""
    if not user_agent or len(user_agent) < 8:
        return True
    return bool(BOT_PATTERN.search(user_agent))


def client_ip(request) -> str:
    """The client address by the project's one rule (``apps.core.client_ip``, ``NUM_PROXIES``)."""
    return get_client_ip(request)
