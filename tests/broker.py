"""The real test broker for outbox tests: publish for real to a queue of the test's own, or to a dead
address (``DEAD_BROKER``); count what waits in a queue. ``real_broker`` is a fixture for every test
(registered in ``tests/conftest.py``)."""

from __future__ import annotations

import uuid

import pytest
from celery import current_app

DEAD_BROKER = "amqp://guest:guest@127.0.0.1:1//"  # nothing listens on port 1


@pytest.fixture
def real_broker(settings):
    """Publish for real (not eagerly) to the test broker, to a queue of this test's own."""
    conf = current_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_write_url, conf.task_default_queue)
    queue = f"outbox-test-{uuid.uuid4().hex[:8]}"
    conf.task_always_eager = False
    conf.task_default_queue = queue

    def use(url: str) -> None:
        conf.broker_url = conf.broker_write_url = url
        current_app._pool = None
        current_app.amqp._producer_pool = None

    real_url = saved[2] or saved[1]
    use(real_url)
    yield queue, lambda url=None: use(url or real_url)
    with current_app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)
    conf.task_always_eager, conf.broker_url, conf.broker_write_url, conf.task_default_queue = saved
    current_app._pool = None
    current_app.amqp._producer_pool = None


def queued(queue: str) -> int:
    """How many messages wait in ``queue`` on the test broker."""
    with current_app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(queue, passive=True).message_count
