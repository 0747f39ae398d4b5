"""Issue 10 item 6: one client cannot spend a shop's whole analytics budget. Events (not requests)
are counted per address and per visitor hash, the address's share is small, and rejected or
filtered events are not charged to the tenant. Counters in the real Redis."""

import pytest

from tests.analytics.conftest import make_event

pytestmark = pytest.mark.django_db

BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_one_address_is_limited_by_events_not_requests(send, settings):
    settings.ANALYTICS_RATE_IP_EVENTS_PER_MIN = 150
    assert send([make_event() for _ in range(100)], REMOTE_ADDR="10.7.0.1").status_code == 202
    assert send([make_event() for _ in range(100)], REMOTE_ADDR="10.7.0.1").status_code == 429  # 200 > 150
    # The shop still hears from everybody else.
    assert send([make_event() for _ in range(100)], REMOTE_ADDR="10.7.0.2").json()["accepted"] == 100


def test_one_address_cannot_silence_the_shop(send, settings):
    settings.ANALYTICS_RATE_TENANT_EVENTS_PER_MIN = 1000
    settings.ANALYTICS_RATE_IP_EVENTS_PER_MIN = 100  # 10 % of the budget
    for _ in range(20):  # the attacker keeps sending full batches from one address
        send([make_event() for _ in range(100)], REMOTE_ADDR="10.7.1.1")
    assert send([make_event()], REMOTE_ADDR="10.7.1.2").json()["accepted"] == 1


def test_rejected_events_are_not_charged_to_the_tenant(send, settings):
    settings.ANALYTICS_RATE_TENANT_EVENTS_PER_MIN = 10
    for index in range(5):
        junk = [make_event(url="javascript:alert(1)") for _ in range(10)]
        assert send(junk, REMOTE_ADDR=f"10.7.2.{index}").json()["rejected"] == 10
    assert send([make_event() for _ in range(10)], REMOTE_ADDR="10.7.2.99").json()["accepted"] == 10


def test_filtered_bot_events_are_not_charged_to_the_tenant(send, settings):
    settings.ANALYTICS_RATE_TENANT_EVENTS_PER_MIN = 10
    for index in range(5):
        body = send([make_event() for _ in range(10)], ua=BOT_UA, REMOTE_ADDR=f"10.7.3.{index}").json()
        assert body["filtered"] == 10
    assert send([make_event() for _ in range(10)], REMOTE_ADDR="10.7.3.99").json()["accepted"] == 10


def test_a_throttled_sender_is_not_charged_to_the_tenant(send, settings):
    settings.ANALYTICS_RATE_TENANT_EVENTS_PER_MIN = 60
    settings.ANALYTICS_RATE_IP_EVENTS_PER_MIN = 50
    assert send([make_event() for _ in range(50)], REMOTE_ADDR="10.7.4.1").status_code == 202
    for _ in range(5):
        assert send([make_event() for _ in range(50)], REMOTE_ADDR="10.7.4.1").status_code == 429
    assert send([make_event() for _ in range(10)], REMOTE_ADDR="10.7.4.2").json()["accepted"] == 10


def test_each_visitor_hash_has_a_cap(send, settings):
    settings.ANALYTICS_RATE_VISITOR_EVENTS_PER_MIN = 30
    ua = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"
    assert send([make_event() for _ in range(30)], ua=ua, REMOTE_ADDR="10.7.5.1").status_code == 202
    assert send([make_event()], ua=ua, REMOTE_ADDR="10.7.5.1").status_code == 429
    # Another browser behind the same address (an office) is another visitor.
    assert send([make_event()], REMOTE_ADDR="10.7.5.1").status_code == 202
