"""The Celery tasks and the drain command, end to end on the real stream and database."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from apps.analytics import event_store, tasks
from apps.analytics.event_store import EventRow
from apps.analytics.models import DirtyDay, HourlyRollup
from tests.analytics.conftest import make_event

pytestmark = pytest.mark.django_db


def test_drain_task_then_rollup_task(send, tenant):
    send([make_event(), make_event("search", results_count=0)])
    assert tasks.drain_events.delay().get() == 2
    assert tasks.drain_events.delay().get() == 0  # nothing left: idempotent
    assert DirtyDay.objects.for_tenant(tenant).exists()
    assert tasks.rebuild_rollups.delay().get() >= 1
    assert HourlyRollup.objects.for_tenant(tenant).get().zero_result_searches == 1
    assert not DirtyDay.objects.for_tenant(tenant).exists()


def test_drain_command_once(send, tenant, capsys):
    send([make_event() for _ in range(3)])
    call_command("drain_events", "--once", "--consumer", "cli-test")
    assert "stored 3 events" in capsys.readouterr().out
    assert event_store.count_events(tenant_id=tenant.pk) == 3


def test_retention_task_deletes_what_is_past_retention_and_keeps_the_rest(tenant, ingest_key):
    now = datetime.now(tz=UTC)
    old, recent = now - timedelta(days=3 * 365), now - timedelta(days=1)  # retention is 13 months
    rows = [
        EventRow(
            tenant_id=tenant.pk,
            occurred_at=at,
            event_id=str(uuid.uuid4()),
            received_at=at,
            type="page_view",
            visitor="v",
        )
        for at in (old, recent)
    ]
    assert event_store.write_batch(rows) == 2
    result = tasks.enforce_retention.delay().get()
    assert result["deleted"] == 1
    assert event_store.count_events(tenant_id=tenant.pk) == 1
    assert event_store.count_events(tenant_id=tenant.pk, start=recent - timedelta(seconds=1)) == 1
    assert tasks.enforce_retention.delay().get()["deleted"] == 0  # nothing left to delete: idempotent
