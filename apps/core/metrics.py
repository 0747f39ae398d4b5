"""Prometheus metrics: request latency by view, responses by status, database queries per
request, Celery task outcomes. Served at ``/metrics`` to an allow-listed IP or a bearer token.

With several gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` (see docs/operations.md).
"""

from __future__ import annotations

import hmac
import os
import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

from apps.core.client_ip import get_client_ip

REQUEST_LATENCY = Histogram(
    "bazaar_request_duration_seconds",
    "Request handling time by view",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5),
)
RESPONSES = Counter("bazaar_responses_total", "Responses by status code", ["status"])
DB_QUERIES = Histogram(
    "bazaar_db_queries_per_request",
    "Database queries per request by view",
    ["view"],
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100),
)
CELERY_TASKS = Counter("bazaar_celery_tasks_total", "Celery task outcomes", ["task", "state"])


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    """Time each request, count its queries, label by the resolved view name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _QueryCounter()
        started = time.perf_counter()
        with ExitStack() as stack:
            for alias in connections:  # default and, when configured, the replica
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match and match.view_name else getattr(request, "metrics_view_name", "unresolved")
        REQUEST_LATENCY.labels(view=view, method=request.method).observe(time.perf_counter() - started)
        RESPONSES.labels(status=str(response.status_code)).inc()
        DB_QUERIES.labels(view=view).observe(counter.count)
        return response


def is_metrics_request_allowed(request: HttpRequest) -> bool:
    """Allowed with ``Authorization: Bearer <METRICS_TOKEN>`` or from an allow-listed address."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    return get_client_ip(request) in settings.METRICS_ALLOWED_IPS


def render_metrics() -> tuple[bytes, str]:
    """The exposition text of this process (or of all workers in multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


def start_worker_metrics_server(port: int, addr: str = "0.0.0.0") -> None:  # noqa: S104 - scraped in-network
    """Serve this Celery worker's metrics (task outcomes) on ``addr:port`` for Prometheus.

    With a prefork pool the tasks run in child processes: set ``PROMETHEUS_MULTIPROC_DIR`` (the
    image does) so that the children's counters are aggregated here.
    """

    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    start_http_server(port, addr=addr, registry=registry)
