"""Request ids (accepted, replaced, on every response, in every log line, into Celery tasks) and
the JSON access log (one line per request, with the context fields)."""

import io
import json
import logging

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from apps.core.logging import ConsoleFormatter, ContextFilter, JsonFormatter
from apps.core.request_id import accept_request_id
from tests.core import probe_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_probe")]


@pytest.mark.parametrize("value", ["abc12345", "0f8fad5b-d9cb-469f-a165-70867728950e", "trace:span.1_2-3", "x" * 128])
def test_safe_ids_are_accepted(client, value):
    assert accept_request_id(value) == value
    assert client.get("/healthz", HTTP_X_REQUEST_ID=value)["X-Request-ID"] == value


UNSAFE = ["", "short", "x" * 129, "has space 123", "new\nline-1234", "<script>12345", "ü" * 10]


@pytest.mark.parametrize("value", UNSAFE)
def test_unsafe_ids_are_replaced(client, value):
    returned = client.get("/healthz", HTTP_X_REQUEST_ID=value)["X-Request-ID"]
    assert returned != value
    assert len(returned) == 32 and int(returned, 16) >= 0


def test_every_response_carries_a_request_id(client):
    seen = set()
    for path in ["/", "/healthz", "/no-such-page/", "/api/v1/nothing/", "/static/css/bazaar.css"]:
        response = client.get(path)
        assert len(response["X-Request-ID"]) == 32, path
        seen.add(response["X-Request-ID"])
    assert len(seen) == 5  # a new id per request
    crash = Client(raise_request_exception=False).get("/probe/crash/")
    assert crash.status_code == 500 and len(crash["X-Request-ID"]) == 32


@pytest.fixture
def log_lines():
    """Point the configured JSON handler at a buffer (INFO and up); yield a reader of parsed lines."""
    root = logging.getLogger()
    handlers = [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]
    assert handlers, "the LOGGING setting installs a JSON handler on the root logger"
    handler = handlers[0]
    assert any(isinstance(f, ContextFilter) for f in handler.filters)
    buffer = io.StringIO()
    old_stream, old_level = handler.setStream(buffer), root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    finally:
        handler.setStream(old_stream)
        root.setLevel(old_level)


def test_every_log_line_of_a_request_carries_its_id(client, log_lines):
    response = client.get("/api/probe/open/", HTTP_X_REQUEST_ID="log-test-0001")
    assert response.json() == {"request_id": "log-test-0001"}
    lines = log_lines()
    assert [line["event"] for line in lines] == ["inside the probe view", "request"]
    assert all(line["request_id"] == "log-test-0001" for line in lines)


@pytest.mark.parametrize(
    "field", ["time", "level", "event", "request_id", "tenant", "user_id", "method", "path", "status"]
)
def test_the_access_line_has_the_field(client, user, log_lines, field):
    client.force_login(user)
    client.get("/api/probe/open/", HTTP_X_REQUEST_ID="log-test-0002")
    (line,) = [line for line in log_lines() if line["logger"] == "bazaar.access"]
    assert field in line


def test_one_access_line_per_request_with_every_field(client, user, log_lines):
    client.force_login(user)
    client.get("/api/probe/open/", HTTP_X_REQUEST_ID="log-test-0002")
    client.get("/healthz", HTTP_X_REQUEST_ID="log-test-0003")
    access = [line for line in log_lines() if line["logger"] == "bazaar.access"]
    assert [line["request_id"] for line in access] == ["log-test-0002", "log-test-0003"]
    line = access[0]
    assert line["time"].endswith("+00:00")
    assert (line["level"], line["event"], line["method"], line["path"], line["status"]) == (
        "info",
        "request",
        "GET",
        "/api/probe/open/",
        200,
    )
    assert line["user_id"] == str(user.public_id if hasattr(user, "public_id") else user.pk)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_crash_logs_the_traceback_with_the_request_id_and_one_access_line(log_lines):
    Client(raise_request_exception=False).get("/api/probe/service/crash/", HTTP_X_REQUEST_ID="log-test-0004")
    lines = log_lines()
    errors = [line for line in lines if line["level"] == "error"]
    assert len(errors) == 1 and "RuntimeError" in errors[0]["exception"]
    assert errors[0]["request_id"] == "log-test-0004"
    access = [line for line in lines if line["logger"] == "bazaar.access"]
    assert len(access) == 1 and access[0]["status"] == 500


def test_console_format_is_readable():
    record = logging.makeLogRecord(
        {"msg": "request", "levelname": "INFO", "request_id": "abcdef1234567890", "method": "GET", "path": "/x"}
    )
    record.status, record.duration_ms = 200, 1.5
    line = ConsoleFormatter().format(record)
    assert "INFO" in line and "[abcdef12]" in line and "method=GET path=/x status=200 duration_ms=1.5" in line
    assert not line.startswith("{")


def test_local_settings_use_the_console_format():
    from config.settings import local

    assert local.LOGGING["handlers"]["default"]["formatter"] == "console"


def test_task_started_by_a_request_carries_its_id(client):
    response = client.get("/api/probe/enqueue/?key=rid-eager", HTTP_X_REQUEST_ID="task-rid-0001")
    assert response.status_code == 200
    assert list(Group.objects.filter(name__startswith="probe:rid-eager:").values_list("name", flat=True))[0].endswith(
        ":task-rid-0001"
    )


def test_task_message_carries_the_request_id_header():
    from apps.core import context
    from apps.core.tasks import REQUEST_ID_HEADER

    token = context.request_id_var.set("header-rid-0001")
    try:
        result = probe_tasks.seen_request_id.apply_async()
    finally:
        context.request_id_var.reset(token)
    assert result.get() == "header-rid-0001"
    # And in the worker (no context var set), the header alone restores it:
    assert probe_tasks.seen_request_id.apply(headers={REQUEST_ID_HEADER: "header-rid-0002"}).get() == "header-rid-0002"


def test_responses_made_before_the_view_are_logged_too(client, log_lines):
    client.get("/static/css/bazaar.css", HTTP_X_REQUEST_ID="log-test-0005")  # served by whitenoise
    client.get("/admin", HTTP_X_REQUEST_ID="log-test-0006")  # CommonMiddleware's APPEND_SLASH redirect
    access = [line for line in log_lines() if line["logger"] == "bazaar.access"]
    assert [(line["request_id"], line["status"]) for line in access] == [("log-test-0005", 200), ("log-test-0006", 301)]
