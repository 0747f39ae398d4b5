"""Visitor hashing: daily salts in the cache, destroyed after 48 hours; bot patterns."""

from datetime import date

import pytest
from django.core.cache import cache

from apps.analytics.privacy import visitor


def test_hash_depends_on_day_tenant_ip_and_browser():
    day = date(2026, 11, 26)
    base = visitor.visitor_hash(tenant_id=1, ip="10.0.0.1", user_agent="UA", day=day)
    assert base == visitor.visitor_hash(tenant_id=1, ip="10.0.0.1", user_agent="UA", day=day)
    assert len(base) == 32 and "10.0.0.1" not in base
    others = {
        visitor.visitor_hash(tenant_id=2, ip="10.0.0.1", user_agent="UA", day=day),
        visitor.visitor_hash(tenant_id=1, ip="10.0.0.2", user_agent="UA", day=day),
        visitor.visitor_hash(tenant_id=1, ip="10.0.0.1", user_agent="UA2", day=day),
        visitor.visitor_hash(tenant_id=1, ip="10.0.0.1", user_agent="UA", day=date(2026, 11, 27)),
    }
    assert base not in others and len(others) == 4


def test_salt_lives_in_the_cache_for_48_hours_and_can_be_destroyed():
    day = date(2026, 11, 20)
    before = visitor.visitor_hash(tenant_id=1, ip="1.2.3.4", user_agent="UA", day=day)
    key = cache.make_key(f"analytics:salt:{day.isoformat()}")
    from django_redis import get_redis_connection

    ttl = get_redis_connection("default").ttl(key)
    assert 47 * 3600 < ttl <= 48 * 3600
    visitor.destroy_salt(day)
    assert visitor.visitor_hash(tenant_id=1, ip="1.2.3.4", user_agent="UA", day=day) != before


@pytest.mark.parametrize(
    ("ua", "bot"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
            False,
        ),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", True),
        ("python-requests/2.32", True),
        ("Mozilla/5.0 HeadlessChrome/120", True),
        (None, True),
        ("short", True),
    ],
)
def test_bot_filter(ua, bot):
    assert visitor.is_bot(ua) is bot


def test_client_ip_trusts_forwarded_only_when_configured(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    settings.NUM_PROXIES = 0
    assert visitor.client_ip(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    assert visitor.client_ip(request) == "203.0.113.9"  # what our proxy saw, not the forged first hop
