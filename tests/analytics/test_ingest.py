"""Ingestion: the batch contract, idempotency, skew, filters, limits, the stream and consent."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils.dateparse import parse_datetime

from apps.analytics import buffer, event_store, services
from apps.analytics.models import Event
from tests.analytics.conftest import BROWSER_UA, iso, make_event
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def stored(tenant):
    return event_store.count_events(tenant_id=tenant.pk)


def test_batch_is_accepted_buffered_and_stored_after_drain(send, tenant):
    events = [make_event(), make_event("product_view"), make_event("search", query="Red  Shoes", results_count=0)]
    response = send(events)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["accepted"] == 3 and body["rejected"] == 0 and body["errors"] == []
    assert stored(tenant) == 0  # the request did not insert: events wait in the stream
    assert buffer.stream_length() == 1
    assert buffer.drain(consumer="t").inserted == 3
    assert stored(tenant) == 3
    search = Event.objects.get(tenant_id=tenant.pk, type="search")
    assert search.query == "red shoes" and search.results_count == 0 and search.url == "/s/x/"
    assert len(search.visitor) == 32 and search.user_id is None


def test_same_batch_twice_stores_once(send, tenant):
    events = [make_event() for _ in range(5)]
    first = send(events, sent_at=iso(datetime.now(tz=UTC)))
    second = send(events, sent_at=iso(datetime.now(tz=UTC) + timedelta(seconds=3)))  # a retry, later clock
    assert first.json()["accepted"] == 5
    assert second.json() | {"errors": []} == second.json() and second.json()["duplicates"] == 5
    buffer.drain(consumer="t")
    assert stored(tenant) == 5


def test_redelivered_stream_entry_is_idempotent(tenant, ingest_key):
    now = datetime.now(tz=UTC)
    payload = json.dumps(
        {
            "tenant_id": tenant.pk,
            "visitor": "v" * 32,
            "user_id": None,
            "received_at": now.isoformat(),
            "events": [
                {
                    "event_id": str(uuid.uuid4()),
                    "type": "page_view",
                    "occurred_at": now.isoformat(),
                    "url": "/",
                    "referrer": "",
                    "product_ref": "",
                    "query": "",
                    "results_count": None,
                    "props": {},
                }
            ],
        }
    )
    assert buffer.store_payloads([payload]) == 1
    assert buffer.store_payloads([payload, payload]) == 0
    assert stored(tenant) == 1


def test_clock_skew_is_corrected(send, tenant):
    client_now = datetime.now(tz=UTC) - timedelta(hours=2)  # the client's clock is two hours slow
    event = make_event(at=client_now - timedelta(minutes=1))
    body = send([event], sent_at=iso(client_now)).json()
    assert body["accepted"] == 1
    assert body["skew_seconds"] == pytest.approx(7200, abs=5)
    buffer.drain(consumer="t")
    occurred = Event.objects.get(tenant_id=tenant.pk).occurred_at
    expected = datetime.now(tz=UTC) - timedelta(minutes=1)
    assert abs((occurred - expected).total_seconds()) < 10


def test_future_and_too_old_events_are_rejected_per_event(send, tenant):
    now = datetime.now(tz=UTC)
    good = make_event()
    future = make_event(at=now + timedelta(days=2))
    old = make_event(at=now - timedelta(days=30))
    body = send([good, future, old]).json()
    assert body["accepted"] == 1 and body["rejected"] == 2
    assert [(e["index"], e["reason"]) for e in body["errors"]] == [(1, "in_future"), (2, "too_old")]


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"type": "click"}, "invalid_type"),
        ({"event_id": "not-a-uuid"}, "invalid_event_id"),
        ({"event_id": None}, "invalid_event_id"),
        ({"occurred_at": "yesterday"}, "invalid_occurred_at"),
        ({"occurred_at": 12345}, "invalid_occurred_at"),
        ({"props": {f"k{i}": i for i in range(21)}}, "props_too_large"),
        ({"props": {"k": "x" * 201}}, "props_too_large"),
        ({"props": {"k": {"nested": 1}}}, "invalid_props"),
        ({"props": ["a"]}, "invalid_props"),
        ({"type": "product_view", "product": None}, "missing_product"),
        ({"type": "search", "query": " "}, "missing_query"),
        ({"type": "search", "results_count": -1}, "invalid_results_count"),
        ({"type": "search", "results_count": 22952130845807}, "invalid_results_count"),  # over the int column
        ({"occurred_at": "0001-01-01T00:00:00+05:00"}, "invalid_occurred_at"),  # before year 1 in UTC
        ({"url": "javascript:alert(1)"}, "invalid_url"),
    ],
)
def test_bad_events_are_rejected_without_failing_the_batch(send, tenant, event, reason):
    bad = make_event(event.get("type", "page_view"), **{k: v for k, v in event.items() if k != "type"})
    body = send([make_event(), bad]).json()
    assert body["accepted"] == 1
    assert body["errors"][0]["reason"] == reason and body["errors"][0]["index"] == 1
    buffer.drain(consumer="t")
    assert stored(tenant) == 1


def test_extreme_times_and_values_are_answered_never_a_server_error(send, tenant):
    """The contract fuzzer's batch (schemathesis, seed 559681600): a sent_at in year 4236 makes the
    skew correction push a year-0056 event past year 1 (OverflowError, a 500 before), next to
    unknown keys, 1e308 floats and huge ints. Each event is answered; the batch is a 202."""
    events = [
        make_event(at=None, occurred_at="0056-06-18T22:36:59.877009-05:47", **{"\u00b0y": {}, "n": [1e308]}),
        make_event(occurred_at="0567-04-27T16:29:19-18:54", props={"big": -1.7976931348623155e308, "int": 2**70}),
        make_event(occurred_at="9999-12-31T23:59:59-05:00"),  # after year 9999 in UTC
    ]
    response = send(events, sent_at="4236-08-14T12:07:58Z")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["accepted"] == 0 and body["rejected"] == 3
    assert [error["reason"] for error in body["errors"]] == ["invalid_occurred_at"] * 3
    buffer.drain(consumer="t")
    assert stored(tenant) == 0


@pytest.mark.parametrize("sent_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_sent_at_outside_the_calendar_in_utc_is_a_400(send, tenant, sent_at):
    response = send([make_event()], sent_at=sent_at)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error" and "sent_at" in error["details"]
    buffer.drain(consumer="t")
    assert stored(tenant) == 0


def test_non_object_event_is_rejected(send):
    body = send([make_event(), "nope"]).json()
    assert body["errors"][0]["reason"] == "invalid_event"


@pytest.mark.parametrize("count", [0, 101])
def test_batch_size_outside_1_to_100_is_a_400_in_the_error_shape(send, tenant, count):
    response = send([make_event() for _ in range(count)])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and "events" in error["details"] and error["request_id"]
    buffer.drain(consumer="t")
    assert stored(tenant) == 0


def test_malformed_body_and_sent_at(client, tenant, ingest_key, send):
    response = client.post(f"/api/v1/t/{tenant.slug}/analytics/events", data="{nope", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_request"
    response = send([make_event()], sent_at="soon")
    assert response.status_code == 400 and "sent_at" in response.json()["error"]["details"]
    response = client.post(
        f"/api/v1/t/{tenant.slug}/analytics/events",
        data=json.dumps("x"),
        content_type="application/json",
        HTTP_X_ANALYTICS_KEY=ingest_key,
    )
    assert response.status_code == 400


def test_oversized_payload_is_413(send, settings):
    settings.ANALYTICS_MAX_BODY_BYTES = 2000
    response = send([make_event(props={f"k{i}": "x" * 200 for i in range(20)})])
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_text_plain_bodies_from_send_beacon_are_accepted(send):
    response = send([make_event()], content_type="text/plain;charset=UTF-8")
    assert response.status_code == 202 and response.json()["accepted"] == 1


def test_other_content_types_are_415(send):
    assert send([make_event()], content_type="application/xml").status_code == 415


def test_key_of_another_tenant_is_refused(send, tenant):
    other = TenantFactory()
    other_key = services.get_or_create_settings(tenant=other).ingest_key
    response = send([make_event()], key=other_key)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_ingest_key"
    assert send([make_event()], key=other_key, slug=other.slug).status_code == 202


def test_rotated_key_stops_working(send, tenant, ingest_key):
    services.rotate_ingest_key(tenant=tenant)
    assert send([make_event()], key=ingest_key).status_code == 401


def test_no_key_needs_a_member(send, client, tenant, make_member):
    assert send([make_event()], key=False).status_code == 401
    outsider_tenant = TenantFactory()
    member = make_member(outsider_tenant, "viewer")
    client.force_login(member)
    assert send([make_event()], key=False).status_code == 404  # a signed-in non-member: the shop is not found
    client.logout()


def test_unknown_tenant_is_404(send):
    assert send([make_event()], slug="no-such-shop").status_code == 404


@pytest.mark.parametrize(
    "ua",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_and_headless_browsers_are_filtered(send, tenant, ua):
    body = send([make_event(), make_event()], ua=ua).json()
    assert body["accepted"] == 0 and body["filtered"] == 2
    buffer.drain(consumer="t")
    assert stored(tenant) == 0


def test_global_privacy_control_is_honoured_as_configured(send, tenant):
    assert send([make_event()], HTTP_SEC_GPC="1").json()["filtered"] == 1
    services.update_settings(tenant=tenant, retention_months=13, honour_gpc=False)
    assert send([make_event()], HTTP_SEC_GPC="1").json()["accepted"] == 1


def test_rate_limit_per_ip_answers_429_with_retry_after(send, settings):
    settings.ANALYTICS_RATE_IP_REQUESTS_PER_MIN = 2
    assert send([make_event()]).status_code == 202
    assert send([make_event()]).status_code == 202
    response = send([make_event()])
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"


def test_rate_limit_per_tenant_counts_events(send, settings):
    settings.ANALYTICS_RATE_TENANT_EVENTS_PER_MIN = 5
    assert send([make_event() for _ in range(5)]).status_code == 202
    assert send([make_event()]).status_code == 429


def test_visitor_is_a_daily_hash_and_no_ip_or_ua_is_stored(send, tenant):
    send([make_event()], ua=BROWSER_UA)
    send([make_event()], ua=BROWSER_UA + " variant")
    buffer.drain(consumer="t")
    rows = list(Event.objects.filter(tenant_id=tenant.pk).values())
    assert len({row["visitor"] for row in rows}) == 2
    dumped = json.dumps(rows, default=str)
    assert "127.0.0.1" not in dumped and "Mozilla" not in dumped


def test_worker_killed_mid_batch_loses_nothing(send, tenant):
    for _ in range(3):
        send([make_event() for _ in range(4)])
    entries = buffer.read_new(consumer="doomed", count=10)  # read, not acknowledged
    assert len(entries) == 3
    buffer.store_payloads([entries[0][1]])  # it stored one batch, then "died" before XACK
    assert buffer.pending_count() == 3
    assert buffer.read_new(consumer="other", count=10) == []  # pending entries are not re-delivered as new
    result = buffer.drain(consumer="rescuer", min_idle_ms=0)
    assert result.reclaimed == 3 and result.inserted == 8
    assert stored(tenant) == 12
    assert buffer.pending_count() == 0 and buffer.stream_length() == 0


def test_consent_links_events_to_a_signed_in_user(send, client, tenant, user):
    client.force_login(user)
    send([make_event()])
    services.set_consent(user=user, analytics=True)
    send([make_event()])
    buffer.drain(consumer="t")
    linked = list(Event.objects.filter(tenant_id=tenant.pk).values_list("user_id", flat=True))
    assert sorted(linked, key=lambda v: v or 0) == [None, user.pk]
    services.set_consent(user=user, analytics=False)
    send([make_event()])
    buffer.drain(consumer="t")
    assert event_store.count_user_events(user_id=user.pk) == 1


def test_events_go_to_monthly_partitions(send, tenant):
    send([make_event()])
    buffer.drain(consumer="t")
    partitions = dict(event_store.list_partitions())
    now = datetime.now(tz=UTC)
    assert event_store.partition_name(now.date()) in partitions
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {event_store.partition_name(now.date())} WHERE tenant_id = %s", [tenant.pk]
        )
        assert cursor.fetchone()[0] == 1
    assert parse_datetime(iso(now))


def test_member_with_a_jwt_can_send_without_the_key(send, tenant, make_member):
    from apps.accounts.services import issue_tokens

    member = make_member(tenant, "viewer")
    services.set_consent(user=member, analytics=True)
    access = issue_tokens(user=member, client="web").access
    response = send([make_event()], key=False, HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.status_code == 202 and response.json()["accepted"] == 1
    buffer.drain(consumer="t")
    assert event_store.count_user_events(user_id=member.pk) == 1
    outsider = make_member(TenantFactory(), "owner")
    other_access = issue_tokens(user=outsider, client="web").access
    assert send([make_event()], key=False, HTTP_AUTHORIZATION=f"Bearer {other_access}").status_code == 404
    assert send([make_event()], key=False, HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_ingest_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/t/{tenant_slug}/analytics/events" in paths
    assert "/api/v1/t/{tenant_slug}/analytics/reports/{report}" in paths
    assert "/api/v1/me/erase" in paths


def test_events_buffered_for_a_tenant_erased_meanwhile_are_dropped(send, tenant):
    send([make_event()])
    from apps.analytics.models import AnalyticsSettings

    AnalyticsSettings.objects.for_tenant(tenant).delete()  # as when the tenant is deleted
    assert buffer.drain(consumer="t").read == 1
    assert stored(tenant) == 0 and buffer.stream_length() == 0


def test_large_batches_go_through_the_staging_table_idempotently(tenant, ingest_key):
    from apps.analytics.event_store import STAGE_THRESHOLD, EventRow

    now = datetime.now(tz=UTC)

    def row(i):
        return EventRow(
            tenant_id=tenant.pk,
            occurred_at=now - timedelta(seconds=i),
            event_id=str(uuid.UUID(int=i + 1)),
            received_at=now,
            type="page_view",
            visitor="v" * 32,
            props={"i": i},
        )

    first = [row(i) for i in range(STAGE_THRESHOLD + 50)]
    assert event_store.write_batch(first) == len(first)
    again = first + [row(i) for i in range(len(first), len(first) + 10)] + first[:5]  # repeats inside too
    assert event_store.write_batch(again) == 10
    assert stored(tenant) == len(first) + 10
    assert Event.objects.get(tenant_id=tenant.pk, event_id=uuid.UUID(int=3)).props == {"i": 2}


def test_malformed_requests_count_towards_the_rate_limit(send, settings):
    settings.ANALYTICS_RATE_IP_REQUESTS_PER_MIN = 2
    assert send([]).status_code == 400
    assert send([make_event() for _ in range(101)]).status_code == 400
    assert send([make_event()]).status_code == 429


def test_non_finite_numbers_are_refused(client, tenant, ingest_key, send):
    body = (
        '{"key": "%s", "events": [{"event_id": "%s", "type": "page_view", "occurred_at": "%s", "props": {"x": NaN}}]}'
    )
    response = client.post(
        f"/api/v1/t/{tenant.slug}/analytics/events",
        data=body % (ingest_key, uuid.uuid4(), iso(datetime.now(tz=UTC))),
        content_type="application/json",
        HTTP_USER_AGENT=BROWSER_UA,
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_request"
    assert send([make_event(props={"x": float("inf")})]).status_code == 400  # json.dumps writes Infinity


def test_an_entry_that_cannot_be_stored_does_not_block_the_stream(send, tenant):
    send([make_event()])
    buffer._redis().xadd(buffer.stream_name(), {"d": '{"tenant_id": "x", "events": [{}]}'})  # a poison entry
    send([make_event()])
    result = buffer.drain(consumer="t")
    assert result.dead == 1 and result.inserted == 2
    assert stored(tenant) == 2 and buffer.pending_count() == 0
    assert buffer._redis().xlen(buffer.dead_letter_stream()) == 1


def test_a_throttled_batch_is_not_remembered_as_seen(send, settings):
    settings.ANALYTICS_RATE_IP_REQUESTS_PER_MIN = 1
    assert send([make_event()]).status_code == 202
    event = make_event()
    assert send([event]).status_code == 429
    settings.ANALYTICS_RATE_IP_REQUESTS_PER_MIN = 100
    body = send([event]).json()
    assert body["accepted"] == 1 and body["duplicates"] == 0


def test_rotation_takes_effect_at_once_on_a_warm_ingest_cache(send, tenant, ingest_key):
    assert send([make_event()]).status_code == 202  # caches the tenant with its ingest config
    new_key = services.rotate_ingest_key(tenant=tenant).ingest_key
    assert send([make_event()], key=ingest_key).status_code == 401
    assert send([make_event()], key=new_key).status_code == 202


def test_warm_ingest_request_makes_no_query(send, django_assert_num_queries):
    assert send([make_event()]).status_code == 202
    with django_assert_num_queries(0):  # the tenant and its key come from one cached entry
        assert send([make_event()]).status_code == 202
