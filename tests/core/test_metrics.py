"""/metrics: Prometheus text with latency by view, status counts, query counts and task outcomes;
forbidden unless the caller is allow-listed or presents the token."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.core import probe_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_probe")]


def samples(text: str) -> list:
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


def test_forbidden_from_another_address(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert b"bazaar_" not in response.content
    wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong")
    assert wrong.status_code == 403


def test_token_opens_it_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_no_token_configured_means_no_token_access(client, settings):
    settings.METRICS_TOKEN = ""
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 403


def test_allow_listed_address(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.7"]
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_exposes_latency_status_queries_and_tasks(client, user):
    client.force_login(user)  # the session lookup makes database queries
    client.get("/api/probe/open/")
    client.get("/api/probe/service/application/")
    probe_tasks.seen_request_id.delay()
    text = client.get("/metrics").content.decode()
    found = samples(text)
    latency = [
        s
        for s in found
        if s.name == "bazaar_request_duration_seconds_count" and s.labels == {"view": "probe-open", "method": "GET"}
    ]
    assert latency and latency[0].value >= 1
    statuses = {s.labels["status"]: s.value for s in found if s.name == "bazaar_responses_total"}
    assert statuses["200"] >= 1 and statuses["409"] >= 1
    queries = [s for s in found if s.name == "bazaar_db_queries_per_request_sum" and s.labels["view"] == "probe-open"]
    assert queries and queries[0].value >= 1
    tasks = [
        s
        for s in found
        if s.name == "bazaar_celery_tasks_total"
        and s.labels == {"task": "tests.probe.seen_request_id", "state": "SUCCESS"}
    ]
    assert tasks and tasks[0].value >= 1
