"""Retention: whole partitions dropped when every tenant's period has passed; rows otherwise."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from apps.analytics import event_store, services, tasks
from apps.analytics.event_store import EventRow
from apps.analytics.privacy import retention
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def put(tenant, when, event_id=None):
    return event_store.write_batch(
        [
            EventRow(
                tenant_id=tenant.pk,
                occurred_at=when,
                event_id=event_id or str(uuid.uuid4()),
                received_at=when,
                type="page_view",
                visitor="v",
            )
        ]
    )


def partition_names():
    return [name for name, _ in event_store.list_partitions()]


def test_cutoff_is_month_aligned():
    assert retention.cutoff_for(retention_months=13, today=TODAY) == datetime(2025, 10, 1, tzinfo=UTC)


def test_partitions_dropped_only_when_all_tenants_are_past_retention(tenant):
    longer = TenantFactory()
    services.get_or_create_settings(tenant=tenant)  # 13 months: keeps from 2025-10-01
    services.update_settings(tenant=longer, retention_months=18, honour_gpc=True)  # keeps from 2025-05-01
    event_store.ensure_partitions(first=date(2025, 3, 1), last=date(2025, 3, 1))
    event_store.ensure_partitions(first=date(2025, 8, 1), last=date(2025, 8, 1))
    for t in (tenant, longer):
        put(t, datetime(2025, 3, 10, tzinfo=UTC))  # past both periods: its partition goes
        put(t, datetime(2025, 8, 10, tzinfo=UTC))  # past the 13-month period only
        put(t, datetime(2024, 1, 5, tzinfo=UTC))  # no monthly partition: sits in the default one
        put(t, datetime(2026, 11, 1, tzinfo=UTC))  # recent
    result = retention.enforce_retention(today=TODAY)
    assert result["dropped"] == ["analytics_event_p202503"]
    assert "analytics_event_p202503" not in partition_names()
    assert "analytics_event_p202508" in partition_names()
    assert event_store.count_events(tenant_id=tenant.pk) == 1
    assert event_store.count_events(tenant_id=longer.pk) == 2
    assert event_store.oldest_event_time(tenant_id=longer.pk) == datetime(2025, 8, 10, tzinfo=UTC)
    assert retention.enforce_retention(today=TODAY) == {"dropped": [], "deleted": 0}  # idempotent


def test_partition_created_late_takes_over_rows_from_the_default_partition(tenant):
    when = datetime(2025, 6, 15, tzinfo=UTC)
    event_id = str(uuid.uuid4())
    put(tenant, when, event_id)
    assert "analytics_event_p202506" not in partition_names()
    assert event_store.ensure_partitions(first=date(2025, 6, 1), last=date(2025, 6, 30)) == ["analytics_event_p202506"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM analytics_event_p202506")
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(*) FROM analytics_event_default WHERE tenant_id = %s", [tenant.pk])
        assert cursor.fetchone()[0] == 0
    assert put(tenant, when, event_id) == 0  # same event again: still idempotent in the new partition
    assert event_store.count_events(tenant_id=tenant.pk) == 1


def test_upcoming_partitions_task():
    created = tasks.ensure_partitions.delay().get()
    names = partition_names()
    assert all(name in names for name in created)
    today = datetime.now(tz=UTC).date()
    assert event_store.partition_name(today) in names


def test_drop_partition_refuses_other_tables():
    with pytest.raises(ValueError):
        event_store.drop_partition(name="accounts_user")
