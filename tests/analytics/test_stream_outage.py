"""Issue 9: when the analytics stream's Redis is unreachable, ingestion still answers 202 and keeps
every event — limits and duplicate marks move to the cache, batches are stored straight in
PostgreSQL — and a circuit breaker spares the next requests the connection attempt. When the
stream is back (after the breaker's interval) requests use it again. The outage is real: the
stream's URL points at a loopback port nothing listens on (connection refused)."""

import pytest
from prometheus_client import REGISTRY

from apps.analytics import buffer, event_store
from tests.analytics.conftest import make_event

pytestmark = pytest.mark.django_db

DEAD_STREAM = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every call is refused


def fallbacks() -> float:
    return REGISTRY.get_sample_value("bazaar_analytics_stream_fallbacks_total") or 0.0


@pytest.fixture
def dead_stream(settings):
    live = settings.ANALYTICS_REDIS_URL
    settings.ANALYTICS_REDIS_URL = DEAD_STREAM
    settings.ANALYTICS_STREAM_BREAKER_SECONDS = 60
    buffer._breaker.cache_clear()
    yield live
    buffer._breaker.cache_clear()


def test_events_sent_while_the_stream_is_down_are_stored_at_once(send, tenant, dead_stream):
    before = fallbacks()
    first = send([make_event(), make_event("product_view")])
    assert first.status_code == 202, first.content
    assert first.json()["accepted"] == 2
    assert event_store.count_events(tenant_id=tenant.pk) == 2  # in PostgreSQL already, no drain needed
    again = send([make_event()])  # the breaker is open: no connection attempt, same outcome
    assert again.status_code == 202 and again.json()["accepted"] == 1
    assert event_store.count_events(tenant_id=tenant.pk) == 3
    assert fallbacks() - before == 1  # only the first request tried the dead Redis
    assert buffer._breaker(DEAD_STREAM).is_open


def test_a_duplicate_is_still_a_duplicate_during_the_outage(send, tenant, dead_stream):
    events = [make_event() for _ in range(3)]
    assert send(events).json()["accepted"] == 3
    assert send(events).json()["duplicates"] == 3  # marks kept in the cache meanwhile
    assert event_store.count_events(tenant_id=tenant.pk) == 3


def test_a_malformed_batch_is_a_400_not_a_500_during_the_outage(send, dead_stream):
    response = send("not a list of events")
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"


def test_the_stream_is_used_again_once_it_answers(send, tenant, dead_stream, settings):
    assert send([make_event()]).status_code == 202  # stored directly, breaker open
    settings.ANALYTICS_REDIS_URL = dead_stream  # Redis "is back"
    settings.ANALYTICS_STREAM_BREAKER_SECONDS = 0
    buffer._breaker.cache_clear()
    assert send([make_event(), make_event()]).json()["accepted"] == 2
    assert buffer.stream_length() == 1  # buffered in the stream again, waiting for the drain
    assert buffer.drain(consumer="t").inserted == 2
    assert event_store.count_events(tenant_id=tenant.pk) == 3
