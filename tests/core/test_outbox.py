"""The transactional outbox: work scheduled by a write is recorded with it, published after commit,
kept when the broker is down (the request does not fail) and published by the relay when it is back."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from apps.core import outbox
from apps.core.models import OutboxMessage
from tests.broker import DEAD_BROKER, queued
from tests.core import probe_tasks  # noqa: F401  (registers the probe tasks)


@pytest.mark.django_db(transaction=True)
def test_eager_mode_runs_the_task_after_commit_and_marks_the_row():
    key = uuid.uuid4().hex
    with transaction.atomic():
        message = outbox.enqueue_task("tests.probe.record_once", key)
        assert not Group.objects.filter(name__startswith=f"probe:{key}:").exists()  # not before commit
    assert Group.objects.filter(name__startswith=f"probe:{key}:").count() == 1
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 1
    assert message.args == [] and message.kwargs == {}  # nothing of the payload is kept once it is sent


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_schedules_nothing():
    key = uuid.uuid4().hex
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue_task("tests.probe.record_once", key)
        raise RuntimeError("the write failed")
    assert not OutboxMessage.objects.exists()
    assert not Group.objects.filter(name__startswith=f"probe:{key}:").exists()


@pytest.mark.django_db
def test_unknown_tasks_are_refused():
    with pytest.raises(ValueError, match="Unknown task"):
        outbox.enqueue_task("no.such.task")


@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_the_row_and_the_relay_publishes_it_when_back(real_broker):
    queue, use_broker = real_broker
    use_broker(DEAD_BROKER)
    with transaction.atomic():
        message = outbox.enqueue_task("tests.probe.record_once", "k1")
    # The commit went through and nothing was raised; the row waits with the broker's refusal on it.
    message.refresh_from_db()
    assert message.dispatched_at is None and message.attempts == 1 and message.last_error
    assert outbox.count_pending() == 1
    assert outbox.relay_pending(grace=timedelta(0)) == 0  # still down: nothing sent

    use_broker()  # the broker is back
    assert outbox.relay_pending(grace=timedelta(0)) == 1
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 3
    assert outbox.count_pending() == 0
    assert queued(queue) == 1  # exactly one message reached the broker


@pytest.mark.django_db(transaction=True)
def test_publish_is_once_per_row(real_broker):
    queue, _ = real_broker
    with transaction.atomic():
        message = outbox.enqueue_task("tests.probe.record_once", "k2")
    assert outbox.publish_message(message.pk) is True  # already published at commit: a no-op
    assert outbox.relay_pending(grace=timedelta(0)) == 0
    assert queued(queue) == 1


@pytest.mark.django_db(transaction=True)
def test_an_unknown_task_row_does_not_block_the_relay(real_broker):
    """A row whose task was renamed since it was recorded is marked, and the rows after it still go."""
    queue, _ = real_broker
    stale = OutboxMessage.objects.create(task_name="no.such.task.anymore")
    with transaction.atomic():
        good = outbox.enqueue_task("tests.probe.record_once", "k3")
    OutboxMessage.objects.filter(pk=good.pk).update(dispatched_at=None, args=["k3"])  # as if the broker had been down
    assert outbox.relay_pending(grace=timedelta(0)) == 1
    stale.refresh_from_db()
    good.refresh_from_db()
    assert stale.dispatched_at is None and stale.last_error == "NotRegistered: no.such.task.anymore"
    assert good.dispatched_at is not None
    assert queued(queue) == 2  # the after-commit publish and the relayed one (tasks are idempotent)
