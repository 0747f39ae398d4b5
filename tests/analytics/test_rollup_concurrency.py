"""Two rebuilds of the same bucket at once (overlapping beat runs) both succeed, one result left."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from apps.analytics import event_store, rollups
from apps.analytics.event_store import EventRow
from apps.analytics.models import HourlyRollup

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_rebuilds_of_one_bucket(tenant):
    now = datetime.now(tz=UTC).replace(hour=12, minute=0)
    event_store.write_batch(
        [
            EventRow(
                tenant_id=tenant.pk,
                occurred_at=now + timedelta(minutes=i),
                event_id=str(uuid.uuid4()),
                received_at=now,
                type="page_view",
                visitor=f"v{i % 7}",
                url=f"/p/{i % 13}",
            )
            for i in range(300)
        ]
    )
    errors = []

    def rebuild():
        try:
            for _ in range(5):
                rollups.rebuild_day(tenant_id=tenant.pk, day=now.date())
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rebuild) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(HourlyRollup.objects.for_tenant(tenant).values_list("pageviews", flat=True)) == 300
