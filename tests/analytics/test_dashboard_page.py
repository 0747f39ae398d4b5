"""The analytics dashboard page as a person uses it: the export follows the range on screen, the
range form does not grow the URL, a falling bounce rate reads as good news, ids are unique, and
finished exports can be downloaded from the page."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from apps.analytics.models import JobStatus, ReportExport
from apps.analytics.views import metric_tone
from tests.analytics.conftest import make_event

pytestmark = pytest.mark.django_db


class _Swapped(HTMLParser):
    """Collects the markup inside ``<div id="analytics-body">``: what an htmx range change replaces."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "line", "polyline", "path", "rect", "circle"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0 and ("id", "analytics-body") in attrs:
            self.depth = 1
            return
        if self.depth:
            self.parts.append(self.get_starttag_text())
            if tag not in self.VOID:
                self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def swapped_part(html: str) -> str:
    parser = _Swapped()
    parser.feed(html)
    return "".join(parser.parts)


def dashboard(client, tenant, **params):
    response = client.get(f"/a/{tenant.slug}/analytics/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "change", "tone"),
    [
        ("pageviews", 12.5, "good"),
        ("pageviews", -3, "bad"),
        ("bounce_rate", -4.0, "good"),
        ("bounce_rate", 4.0, "bad"),
        ("visitors", 0, "flat"),
        ("visitors", None, "flat"),
    ],
)
def test_metric_tone(name, change, tone):
    assert metric_tone(name, change) == tone


def test_the_export_form_carries_the_range_on_screen(client, tenant, owner):
    client.force_login(owner)
    today = datetime.now(tz=UTC).date()
    html = dashboard(client, tenant, period="30d")
    body = swapped_part(html)
    assert 'name="report"' in body  # the export form is swapped with the range
    first = re.search(r'name="date_from" value="([^"]+)"', body).group(1)
    last = re.search(r'name="date_to" value="([^"]+)"', body).group(1)
    assert (datetime.fromisoformat(last).date() - datetime.fromisoformat(first).date()).days == 29
    assert abs((datetime.fromisoformat(last).date() - today).days) <= 1
    html7 = dashboard(client, tenant, period="7d")
    first7 = re.search(r'name="date_from" value="([^"]+)"', swapped_part(html7)).group(1)
    assert first7 != first


def test_the_range_form_asks_the_bare_path_and_ids_are_unique(client, tenant, owner):
    client.force_login(owner)
    html = dashboard(client, tenant, period="custom", date_from="2026-01-01", date_to="2026-01-31")
    assert f'hx-get="/a/{tenant.slug}/analytics/"' in html  # not "" (which would append to the query)
    ids = re.findall(r'\sid="([^"]+)"', html)
    duplicates = {value for value in ids if ids.count(value) > 1}
    assert not duplicates


def test_finished_exports_are_listed_with_a_download_link(client, tenant, make_member, settings, tmp_path):
    analyst = make_member(tenant, "analyst")
    other = make_member(tenant, "analyst")
    now = datetime.now(tz=UTC)
    done = ReportExport.objects.create(
        tenant=tenant,
        requested_by=analyst,
        report="pages",
        date_from=now.date() - timedelta(days=6),
        date_to=now.date(),
        status=JobStatus.DONE,
        file_name="analytics/exports/x.csv",
        finished_at=now,
    )
    ReportExport.objects.create(
        tenant=tenant, requested_by=analyst, report="referrers", date_from=now.date(), date_to=now.date()
    )
    ReportExport.objects.create(
        tenant=tenant, requested_by=other, report="products", date_from=now.date(), date_to=now.date()
    )
    client.force_login(analyst)
    html = dashboard(client, tenant)
    table = html[html.index('class="recent-exports"') :]
    assert "Download CSV" in table and "Pages" in table and "Referrers" in table
    assert "Products" not in table  # another member's export is theirs
    link = re.search(r'href="(/a/[^"]+/exports/[^"]+)"', table).group(1)
    assert link.startswith(f"/a/{tenant.slug}/analytics/exports/")
    done.finished_at = now - timedelta(hours=25)
    done.save(update_fields=["finished_at"])
    assert "Link expired" in dashboard(client, tenant)


def test_generated_traffic_has_returning_visitors_so_sessions_exceed_visitors(tenant):
    from apps.analytics import event_store, rollups, selectors, traffic
    from apps.analytics.event_store import EventRow

    start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=3)
    event_store.ensure_partitions(first=start.date(), last=(start + timedelta(days=3)).date())
    rows = [EventRow(*row) for row in traffic.generate(tenant_id=tenant.pk, start=start, days=3, events=3000, seed=5)]
    event_store.copy_rows(rows)
    rollups.rebuild_range(tenant_id=tenant.pk, first=start.date(), last=(start + timedelta(days=3)).date())
    rng = selectors.resolve_range(tenant=tenant, period="7d")
    totals = selectors.build_report(tenant=tenant, name="summary", rng=rng)["totals"]
    assert totals["sessions"] > totals["visitors"] * 1.1, totals


def test_embedded_mode_dashboard_shows_live_numbers_without_beat(client, tenant, owner, send, settings):
    """``make run`` has no Redis and no beat: events sent now are on the dashboard at the next load."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.ANALYTICS_REDIS_URL = ""  # no stream Redis either
    response = send([make_event(), make_event(), make_event("product_view")])
    assert response.status_code == 202, response.content
    client.force_login(owner)
    response = client.get(f"/a/{tenant.slug}/analytics/", {"period": "today"})
    metrics = {m["name"]: m["value"] for m in response.context["metrics"]}
    assert metrics["pageviews"] == 2 and metrics["product_views"] == 1
    api = client.get(f"/api/v1/t/{tenant.slug}/analytics/reports/summary", {"period": "today"})
    assert api.json()["totals"]["pageviews"] == 2
