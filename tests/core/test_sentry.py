"""Sentry: off without a DSN; with one, events carry request id, tenant and user id and nothing
secret. Events go to an in-process transport (no network)."""

import json

import pytest
import sentry_sdk
from django.test import Client
from sentry_sdk.transport import Transport

from apps.core import sentry

pytestmark = pytest.mark.urls("tests.core.urls_probe")

DSN = "https://publickey@o0.ingest.sentry.invalid/1"


class CollectingTransport(Transport):
    """Keeps every envelope in memory instead of sending it."""

    envelopes: list = []

    def capture_envelope(self, envelope):
        type(self).envelopes.append(envelope)


@pytest.fixture
def sentry_events():
    CollectingTransport.envelopes = []
    assert sentry.init_sentry(DSN, transport=CollectingTransport)
    try:
        yield lambda: [
            item.payload.json for env in CollectingTransport.envelopes for item in env.items if item.type == "event"
        ]
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)  # back to the non-recording client
        assert not sentry_sdk.is_initialized()


def test_not_initialised_without_dsn(settings):
    settings.SENTRY_DSN = ""
    assert sentry.init_sentry() is False
    assert not sentry_sdk.is_initialized()


def test_client_options(sentry_events):
    options = sentry_sdk.get_client().options
    assert options["send_default_pii"] is False
    assert options["before_send"] is sentry.scrub_event
    installed = set(sentry_sdk.get_client().integrations)
    assert {"django", "celery", "redis"} <= installed


@pytest.mark.django_db
def test_unhandled_api_error_reaches_sentry_scrubbed_with_context(sentry_events, user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.post(
        "/api/probe/plain-crash/?tenant=shop-a",
        {"password": "hunter2-secret-pw", "email": "alice@example.com", "note": "ask bob@example.org"},
        "application/json",
        HTTP_X_REQUEST_ID="sentry-test-0001",
        HTTP_AUTHORIZATION="Bearer eyJhbGciOi.secret-token.sig",
    )
    assert response.status_code == 500
    events = sentry_events()
    assert len(events) == 1
    event = events[0]
    assert event["tags"]["request_id"] == "sentry-test-0001"
    assert event["tags"]["tenant"] == "shop-a"
    assert event["user"] == {"id": str(getattr(user, "public_id", None) or user.pk)}
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    data = event["request"]["data"]  # the body did reach the event, scrubbed
    assert data == {"password": "[Filtered]", "email": "[Filtered]", "note": "ask [Filtered]"}
    text = json.dumps(event)
    for secret in ("hunter2-secret-pw", "alice@example.com", "bob@example.org", "secret-token", user.email):
        assert secret not in text


def scrubbed_example_event():
    """An event with a credential or an email in every place Sentry sends, through the scrubber."""
    event = {
        "request": {
            "headers": [["Authorization", "Bearer abc.def"], ["Cookie", "sessionid=zzz"], ["Accept", "*/*"]],
            "data": {"password": "pw-123456", "refresh": "r-token", "name": "Ann", "nested": {"api_key": "k"}},
            "query_string": "email=carol@example.net",
        },
        "extra": {"message": "login failed for dave@example.com with Bearer qwerty.uiop"},
        "breadcrumbs": {"values": [{"message": "token=abc", "data": {"access_token": "a"}}]},
    }
    return sentry.scrub_event(event, None)


@pytest.mark.parametrize(
    "secret", ["abc.def", "zzz", "pw-123456", "r-token", '"k"', "carol@", "dave@", "qwerty", '"a"']
)
def test_scrub_event_removes_credentials_and_emails(secret):
    assert secret not in json.dumps(scrubbed_example_event()), secret


def test_scrub_event_keeps_harmless_values():
    scrubbed = scrubbed_example_event()
    assert scrubbed["request"]["headers"][2] == ["Accept", "*/*"]
    assert scrubbed["request"]["data"]["name"] == "Ann"


def test_task_errors_carry_the_request_id(sentry_events):
    from apps.core import context

    # A task's context: a request id, no tenant or user (other tests may have left values in this
    # thread's context; a worker starts each task clean).
    tokens = [
        (context.request_id_var, context.request_id_var.set("sentry-task-0001")),
        (context.tenant_var, context.tenant_var.set(None)),
        (context.user_id_var, context.user_id_var.set(None)),
    ]
    sentry_sdk.get_isolation_scope().set_tag("tenant", "left-over-shop")  # as an earlier request could
    try:
        sentry_sdk.capture_message("from a task")
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
    event = sentry_events()[-1]
    assert event["tags"]["request_id"] == "sentry-task-0001"
    assert "tenant" not in event["tags"] and event["user"] == {}  # nothing left over from other requests
