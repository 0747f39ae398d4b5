"""Dashboard page, reports API and background CSV exports, with permissions and bad input."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from apps.analytics import event_store, rollups
from apps.analytics.event_store import EventRow
from apps.analytics.models import ReportExport
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def traffic(tenant):
    """Today: 3 pageviews of / by two visitors, a product view, a zero-result search; rolled up."""
    now = datetime.now(tz=UTC) - timedelta(minutes=2)
    specs = [
        ("page_view", "a", {"url": "/s/x/", "referrer": "search.example"}),
        ("page_view", "a", {"url": "/s/x/"}),
        ("page_view", "b", {"url": "/s/x/"}),
        ("product_view", "b", {"product_ref": "SKU-7"}),
        ("search", "b", {"query": "unicorn", "results_count": 0}),
    ]
    rows = [
        EventRow(
            tenant_id=tenant.pk,
            occurred_at=now + timedelta(seconds=i),
            event_id=str(uuid.uuid4()),
            received_at=now,
            type=t,
            visitor=v,
            **f,
        )
        for i, (t, v, f) in enumerate(specs)
    ]
    event_store.write_batch(rows)
    rollups.mark_dirty(rows)
    rollups.rebuild_dirty()
    return rows


def api(client, tenant, report, **params):
    return client.get(f"/api/v1/t/{tenant.slug}/analytics/reports/{report}", params)


def test_report_api_serves_the_numbers(client, tenant, make_member, traffic):
    client.force_login(make_member(tenant, "analyst"))
    body = api(client, tenant, "summary", period="today").json()
    assert body["totals"]["pageviews"] == 3 and body["totals"]["visitors"] == 2
    assert body["totals"]["zero_result_searches"] == 1 and body["time_zone"] == tenant.time_zone
    pages = api(client, tenant, "pages", period="7d").json()["rows"]
    assert pages == [{"key": "/s/x/", "label": "/s/x/", "count": 3}]
    assert api(client, tenant, "zero-result-searches", period="30d").json()["rows"][0]["key"] == "unicorn"
    assert api(client, tenant, "referrers").json()["rows"][0]["key"] == "search.example"
    series = api(client, tenant, "timeseries", period="7d").json()["rows"]
    assert len(series) == 7 and series[-1]["pageviews"] == 3


@pytest.mark.parametrize(
    ("report", "params", "status"),
    [
        ("nope", {}, 404),
        ("pages", {"from": "2026-13-01", "to": "2026-12-01"}, 400),
        ("pages", {"from": "2026-10-02", "to": "2026-10-01"}, 400),
        ("pages", {"period": "decade"}, 400),
        ("pages", {"limit": "500"}, 400),
        ("pages", {"limit": "x"}, 400),
    ],
)
def test_report_api_bad_input(client, tenant, make_member, report, params, status):
    client.force_login(make_member(tenant, "analyst"))
    response = api(client, tenant, report, **params)
    assert response.status_code == status
    assert response.json()["error"]["code"] in ("validation_error", "not_found")


def test_report_api_access(client, tenant, make_member):
    client.force_login(make_member(tenant, "viewer"))
    assert api(client, tenant, "summary").status_code == 403
    client.force_login(make_member(TenantFactory(), "owner"))
    assert api(client, tenant, "summary").status_code == 404
    client.logout()
    response = api(client, tenant, "summary")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_dashboard_shows_rollups(client, tenant, owner, traffic, django_assert_max_num_queries):
    client.force_login(owner)
    with django_assert_max_num_queries(20):
        response = client.get(f"/a/{tenant.slug}/analytics/", {"period": "today"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "chart-pageviews" in html and "style=" not in html
    assert "unicorn" in html and "SKU-7" in html and "search.example" in html
    metrics = {m["name"]: m["value"] for m in response.context["metrics"]}
    assert metrics["pageviews"] == 3 and metrics["visitors"] == 2


@pytest.mark.parametrize(
    "params",
    [{}, {"period": "7d"}, {"period": "30d"}, {"period": "custom", "date_from": "2026-01-01", "date_to": "2026-01-31"}],
    ids=["default", "7d", "30d", "custom"],
)
def test_dashboard_ranges(client, tenant, owner, traffic, params):
    client.force_login(owner)
    assert client.get(f"/a/{tenant.slug}/analytics/", params).status_code == 200


def test_dashboard_refuses_an_incomplete_or_reversed_custom_range(client, tenant, owner, traffic):
    client.force_login(owner)
    bad = client.get(f"/a/{tenant.slug}/analytics/", {"period": "custom", "date_from": "2026-01-01"})
    assert bad.status_code == 400 and "A custom range needs both dates." in bad.content.decode()
    reversed_range = client.get(
        f"/a/{tenant.slug}/analytics/", {"period": "custom", "date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert reversed_range.status_code == 400


def test_dashboard_permissions(client, tenant, make_member):
    assert client.get(f"/a/{tenant.slug}/analytics/").status_code == 302  # to the login page
    client.force_login(make_member(tenant, "editor"))
    assert client.get(f"/a/{tenant.slug}/analytics/").status_code == 403
    client.force_login(make_member(TenantFactory(), "owner"))
    assert client.get(f"/a/{tenant.slug}/analytics/").status_code == 404


def test_csv_export_in_background_with_expiring_link(
    client, tenant, make_member, traffic, django_capture_on_commit_callbacks, monkeypatch
):
    analyst = make_member(tenant, "analyst")
    client.force_login(analyst)
    today = datetime.now(tz=UTC).date()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/a/{tenant.slug}/analytics/exports/",
            {"report": "pages", "date_from": today - timedelta(days=1), "date_to": today + timedelta(days=1)},
        )
    assert response.status_code == 302
    export = ReportExport.objects.for_tenant(tenant).get()
    assert export.status == "done"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [analyst.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/exports/" in line)
    path = link[link.index("/a/") :]
    download = client.get(path)
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode()
    assert content.splitlines() == ["key,label,count", "/s/x/,/s/x/,3"]
    # Another tenant's member cannot use it; a viewer of this tenant cannot either.
    client.force_login(make_member(tenant, "viewer"))
    assert client.get(path).status_code == 403
    client.force_login(analyst)
    assert client.get(path[:-3] + "xx/").status_code == 404
    # After 24 hours the link has expired.
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 25 * 3600)
    assert client.get(path).status_code == 410


def test_export_bad_input(client, tenant, owner):
    client.force_login(owner)
    response = client.post(f"/a/{tenant.slug}/analytics/exports/", {"report": "nope"}, follow=True)
    assert "Choose a report" in response.content.decode()
    assert ReportExport.objects.for_tenant(tenant).count() == 0


def test_settings_page_rotates_key_and_validates(client, tenant, owner, make_member):
    from apps.analytics import services

    old = services.get_or_create_settings(tenant=tenant).ingest_key
    client.force_login(owner)
    url = f"/a/{tenant.slug}/analytics/settings/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"rotate": "1"}).status_code == 302
    assert services.get_or_create_settings(tenant=tenant).ingest_key != old
    assert client.post(url, {"retention_months": "0"}).status_code == 400
    assert client.post(url, {"retention_months": "6", "honour_gpc": ""}).status_code == 302
    current = services.get_or_create_settings(tenant=tenant)
    assert current.retention_months == 6 and current.honour_gpc is False
    client.force_login(make_member(tenant, "analyst"))
    assert client.get(url).status_code == 403


def test_dashboard_initial_load_under_200kb(client, tenant, owner, traffic):
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    client.force_login(owner)
    body = client.get(f"/a/{tenant.slug}/analytics/", {"period": "30d"}).content.decode()
    total = len(body.encode())
    for asset in re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', body):
        total += Path(finders.find(asset)).stat().st_size
    assert "analytics.css" in body
    assert total < 200 * 1024, total
