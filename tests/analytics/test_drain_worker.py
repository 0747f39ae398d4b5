"""A real drainer process killed (SIGKILL) while draining loses nothing and duplicates nothing."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from apps.analytics import buffer, event_store, services
from tests.analytics.conftest import make_event

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def test_killed_drainer_loses_nothing(tenant):
    services.get_or_create_settings(tenant=tenant)
    batches = 600
    for _ in range(batches):
        events = []
        for raw in (make_event() for _ in range(20)):
            events.append(
                {
                    "event_id": raw["event_id"],
                    "type": "page_view",
                    "occurred_at": raw["occurred_at"].replace("Z", "+00:00"),
                    "url": "/",
                    "referrer": "",
                    "product_ref": "",
                    "query": "",
                    "results_count": None,
                    "props": {},
                }
            )
        buffer.push_batch(
            tenant_id=tenant.pk,
            events=events,
            context={"visitor": "k" * 32, "user_id": None, "received_at": events[0]["occurred_at"]},
        )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DB_POOL": "false",
    }
    drainer = subprocess.Popen(
        [sys.executable, "manage.py", "drain_events", "--consumer", "doomed", "--batch", "10"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while event_store.count_events(tenant_id=tenant.pk) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(drainer.pid, signal.SIGKILL)  # dies somewhere in its loop: mid-read, mid-insert or before XACK
    drainer.wait(timeout=10)
    stored_before = event_store.count_events(tenant_id=tenant.pk)
    assert 0 < stored_before < batches * 20
    result = buffer.drain(consumer="rescuer", min_idle_ms=0)
    assert event_store.count_events(tenant_id=tenant.pk) == batches * 20
    assert buffer.pending_count() == 0 and buffer.stream_length() == 0
    assert result.read >= 1
