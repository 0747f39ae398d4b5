"""Celery: the task base retries transient errors with backoff and carries the request id; a real
worker subprocess against RabbitMQ completes a task, and a message delivered twice applies once."""

import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from apps.core import metrics
from apps.core.idempotency import claim_message, purge_processed_messages, was_processed
from apps.core.models import ProcessedMessage
from apps.core.tasks import TRANSIENT_ERRORS, BazaarTask
from config.celery import app as celery_app
from tests.core import probe_tasks

ROOT = Path(__file__).resolve().parents[2]


def task_count(name: str, state: str) -> float:
    return metrics.CELERY_TASKS.labels(task=name, state=state)._value.get()


# --- The base class, eagerly --------------------------------------------------------------------
def test_every_task_uses_the_base_class():
    assert isinstance(probe_tasks.record_once, BazaarTask)
    task = probe_tasks.flaky
    assert task.acks_late and task.reject_on_worker_lost
    assert task.retry_backoff and task.retry_jitter and task.max_retries >= 3


def test_operational_error_schedules_a_retry_with_backoff():
    from celery.exceptions import Retry
    from django.db import OperationalError

    key = uuid.uuid4().hex
    with pytest.raises(Retry) as info:  # eagerly, Celery raises the Retry it would schedule
        probe_tasks.flaky.delay(key, 1)
    assert isinstance(info.value.exc, OperationalError)
    assert 0 <= info.value.when <= probe_tasks.flaky.retry_backoff  # first retry: up to 2 s with jitter


def test_retries_give_up_after_max_retries():
    from django.db import OperationalError

    key = uuid.uuid4().hex
    with pytest.raises(OperationalError):
        probe_tasks.flaky.apply((key, 99), retries=probe_tasks.flaky.max_retries)
    assert probe_tasks.ATTEMPTS[key] == 1


def test_programming_errors_are_not_retried():
    key = uuid.uuid4().hex
    with pytest.raises(ValueError):
        probe_tasks.broken.delay(key).get()
    assert probe_tasks.ATTEMPTS[key] == 1
    assert ValueError not in TRANSIENT_ERRORS


def test_backoff_grows_exponentially():
    from celery.utils.time import get_exponential_backoff_interval

    task = probe_tasks.flaky
    delays = [get_exponential_backoff_interval(task.retry_backoff, n, task.retry_backoff_max, False) for n in range(5)]
    assert delays == [2, 4, 8, 16, 32]


def test_beat_schedule_lives_in_settings():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["core-purge-processed-messages"]["task"] == "core.purge_processed_messages"
    assert celery_app.conf.beat_schedule == schedule
    assert "core.purge_processed_messages" in celery_app.tasks


@pytest.mark.django_db
def test_claim_message_once_and_purge():
    assert claim_message(key="k-1", task="t") is True
    assert claim_message(key="k-1", task="t") is False
    assert was_processed(key="k-1")
    ProcessedMessage.objects.filter(key="k-1").update(created_at="2000-01-01T00:00:00Z")
    assert purge_processed_messages() == 1
    assert not was_processed(key="k-1")
    with pytest.raises(ValueError):
        claim_message(key="")


@pytest.mark.django_db
def test_eager_duplicate_applies_once():
    assert probe_tasks.record_once.delay("dup-eager").get() == "applied"
    assert probe_tasks.record_once.delay("dup-eager").get() == "duplicate"
    assert Group.objects.filter(name__startswith="probe:dup-eager:").count() == 1


# --- A real worker against the real broker -------------------------------------------------------
def wait_for(predicate, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def worker_metric(worker, name: str, **labels) -> float | None:
    """A sample from the worker's own metrics endpoint."""
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(f"http://127.0.0.1:{worker.metrics_port}/metrics", timeout=5) as response:
        text = response.read().decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


def probe_rows(key: str) -> list[str]:
    return list(Group.objects.filter(name__startswith=f"probe:{key}:").values_list("name", flat=True))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_completes_a_task_and_applies_a_duplicate_once(real_worker):
    from apps.core import context

    key = f"worker-{uuid.uuid4().hex[:8]}"
    token = context.request_id_var.set("worker-rid-0001")  # as if started by a request
    try:
        first = probe_tasks.record_once.apply_async((key,), queue=real_worker.queue)
    finally:
        context.request_id_var.reset(token)
    assert wait_for(lambda: len(probe_rows(key)) == 1), "the worker did not complete the task"
    assert probe_rows(key)[0].endswith(":worker-rid-0001")  # the request id crossed into the worker

    # The same message delivered again (same task id and key, as a broker redelivery would).
    second = probe_tasks.record_once.apply_async((key,), queue=real_worker.queue, task_id=first.id)
    marker = probe_tasks.record_once.apply_async((f"{key}-after",), queue=real_worker.queue)
    assert wait_for(lambda: len(probe_rows(f"{key}-after")) == 1), "the worker stopped consuming"
    assert second.id == first.id
    assert len(probe_rows(key)) == 1  # delivered twice, applied once
    assert ProcessedMessage.objects.filter(key=key).count() == 1
    assert marker.id != first.id
    # The worker exports its task outcomes for Prometheus.
    successes = worker_metric(real_worker, "bazaar_celery_tasks_total", task="tests.probe.record_once", state="SUCCESS")
    assert successes is not None and successes >= 3


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_retries_a_transient_error(real_worker):
    key = f"retry-{uuid.uuid4().hex[:8]}"
    probe_tasks.flaky_db.apply_async((key, 2), queue=real_worker.queue)
    assert wait_for(lambda: Group.objects.filter(name=f"done:{key}").exists(), timeout=40)
    assert Group.objects.filter(name__startswith=f"attempt:{key}:").count() == 3  # failed twice, then done


def test_a_worker_task_starts_without_the_previous_tenant_or_user():
    from apps.core import context

    tokens = [
        (context.tenant_var, context.tenant_var.set("leftover-shop")),
        (context.user_id_var, context.user_id_var.set("leftover-user")),
    ]
    try:
        # Called directly, as the worker's tracer calls it (not eager): a clean tenant and user.
        assert probe_tasks.seen_context() == [None, None]
        assert context.tenant_var.get() == "leftover-shop"  # restored afterwards
        # Eagerly, inside a request, the task shares the request's context.
        assert probe_tasks.seen_context.delay().get() == ["leftover-shop", "leftover-user"]
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_for_good_leaves_a_visible_failed_task(real_worker, admin_client):
    """Not silence: the row (admin), the counter (worker metrics) and the outbox can run it again."""
    from apps.core.failures import count_unresolved, retry_failed_task
    from apps.core.models import FailedTask, OutboxMessage

    key = f"broken-{uuid.uuid4().hex[:8]}"
    probe_tasks.broken.apply_async((key,), queue=real_worker.queue)
    assert wait_for(lambda: FailedTask.objects.filter(task_name="tests.probe.broken", args=[key]).exists(), timeout=40)
    failed = FailedTask.objects.get(task_name="tests.probe.broken", args=[key])
    assert failed.exception == "ValueError" and "a bug" in failed.message and "Traceback" in failed.traceback
    assert failed.resolved_at is None and count_unresolved() >= 1
    assert (worker_metric(real_worker, "bazaar_celery_tasks_failed_total", task="tests.probe.broken") or 0) >= 1
    page = admin_client.get("/admin/core/failedtask/")
    assert page.status_code == 200 and b"tests.probe.broken" in page.content
    retry_failed_task(failed)
    failed.refresh_from_db()
    assert failed.resolved_at is not None
    # Run again goes through the outbox (published at once, so the row keeps only the task name).
    assert OutboxMessage.objects.filter(task_name="tests.probe.broken").exists()
