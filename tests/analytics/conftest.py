"""Analytics test helpers: a tenant with an ingest key, event payloads, a browser user agent."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from apps.analytics import services
from apps.analytics.event_store import EventRow

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def make_event(event_type="page_view", *, at=None, **fields):
    at = at or datetime.now(tz=UTC) - timedelta(seconds=5)
    event = {"event_id": str(uuid.uuid4()), "type": event_type, "occurred_at": iso(at), "url": "https://shop.test/s/x/"}
    if event_type == "product_view":
        event.setdefault("product", "SKU-1")
    if event_type == "search":
        event.setdefault("query", "shoes")
        event.setdefault("results_count", 3)
    event.update(fields)
    return event


@pytest.fixture
def ingest_key(tenant):
    return services.get_or_create_settings(tenant=tenant).ingest_key


@pytest.fixture
def send(client, tenant, ingest_key):
    """``send(events, **opts)`` posts a batch to the tenant's ingest endpoint."""

    def _send(events, *, key=None, sent_at=None, ua=BROWSER_UA, content_type="application/json", slug=None, **extra):
        import json

        body = {"events": events, "sent_at": sent_at or iso(datetime.now(tz=UTC))}
        if key is not False:
            body["key"] = key or ingest_key
        return client.post(
            f"/api/v1/t/{slug or tenant.slug}/analytics/events",
            data=json.dumps(body),
            content_type=content_type,
            HTTP_USER_AGENT=ua,
            **extra,
        )

    return _send


def row(tenant, when, visitor, event_type="page_view", **fields):
    """An ``EventRow`` of ``tenant`` as the drain would store it."""
    return EventRow(
        tenant_id=tenant.pk,
        occurred_at=when,
        event_id=str(uuid.uuid4()),
        received_at=datetime.now(tz=UTC),
        type=event_type,
        visitor=visitor,
        **fields,
    )
