"""Rollups against a hand-computed fixture: sessions, bounces, late events, a DST day."""

from datetime import UTC, date, datetime, timedelta

import pytest

from apps.analytics import event_store, rollups, selectors, services
from apps.analytics.models import DimensionRollup, DirtyDay, HourlyRollup
from tests.analytics.conftest import row

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 25)  # Europe/Paris leaves summer time: this local day has 25 hours


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def store(rows):
    event_store.write_batch(rows)
    rollups.mark_dirty(rows)


def hourly(tenant):
    return {
        r.hour: (r.pageviews, r.visitors, r.day_visitors, r.sessions, r.bounces, r.searches, r.zero_result_searches)
        for r in HourlyRollup.objects.for_tenant(tenant).order_by("hour")
    }


@pytest.fixture
def fixture_events(tenant):
    """Visitor A: pages at 10:00 and 10:10 (one session), 11:00 (a second session: 50 min gap).
    Visitor B: a page at 10:20 and a zero-result search at 10:25 (one pageview: a bounce).
    Visitor C: a page at 23:50 the day before and 00:10 (one session across midnight)."""
    rows = [
        row(tenant, at(10, 0), "A", url="/", referrer="news.example"),
        row(tenant, at(10, 10), "A", url="/p/1"),
        row(tenant, at(11, 0), "A", url="/"),
        row(tenant, at(10, 20), "B", url="/"),
        row(tenant, at(10, 25), "B", "search", query="red boots", results_count=0),
        row(tenant, at(23, 50, DAY - timedelta(days=1)), "C", url="/"),
        row(tenant, at(0, 10), "C", url="/p/2"),
        row(tenant, at(0, 20), "C", "product_view", product_ref="SKU-9"),
    ]
    store(rows)
    return rows


def test_hand_computed_hours(tenant, fixture_events):
    assert rollups.rebuild_dirty() == 2  # DAY-1 and DAY (C's events are within 30 min of midnight)
    h = hourly(tenant)
    # (pageviews, visitors, day_visitors, sessions, bounces, searches, zero-result searches)
    assert h[at(0)] == (1, 1, 1, 0, 0, 0, 0)  # C continues yesterday's session
    assert h[at(10)] == (3, 2, 2, 2, 1, 1, 1)  # A's first session, B's bounce
    assert h[at(11)] == (1, 1, 0, 1, 1, 0, 0)  # A's second session: one pageview, a bounce
    assert h[at(23, 0, DAY - timedelta(days=1))] == (1, 1, 1, 1, 0, 0, 0)  # C: two pageviews, no bounce
    assert DirtyDay.objects.all_tenants().count() == 0
    dims = {}
    for d in DimensionRollup.objects.for_tenant(tenant).filter(hour__gte=at(0), hour__lt=at(0) + timedelta(days=1)):
        dims[(d.dimension, d.key)] = dims.get((d.dimension, d.key), 0) + d.count
    assert dims == {
        ("page", "/"): 3,
        ("page", "/p/1"): 1,
        ("page", "/p/2"): 1,
        ("referrer", "news.example"): 1,
        ("search", "red boots"): 1,
        ("zero_search", "red boots"): 1,
        ("product", "ref:SKU-9"): 1,
    }


def test_late_event_rebuilds_and_overwrites(tenant, fixture_events):
    rollups.rebuild_dirty()
    store([row(tenant, at(10, 40), "A", url="/late")])  # arrives late: joins A's 11:00 into one session
    rollups.rebuild_dirty()
    rollups.rebuild_dirty()  # a second run changes nothing (overwrite, not increment)
    h = hourly(tenant)
    assert h[at(10)] == (4, 2, 2, 2, 1, 1, 1)
    assert h[at(11)] == (1, 1, 0, 0, 0, 0, 0)


def test_dst_day_in_tenant_time_zone(tenant, fixture_events):
    tenant.time_zone = "Europe/Paris"
    rollups.rebuild_dirty()
    # 23:30 UTC on DAY is 00:30 on the next local day; 22:30 UTC is still 23:30 on DAY (UTC+1 after 03:00).
    store([row(tenant, at(22, 30), "D", url="/"), row(tenant, at(23, 30), "E", url="/")])
    rollups.rebuild_dirty()
    rng = selectors.resolve_range(tenant=tenant, date_from="2026-10-25", date_to="2026-10-25")
    assert (rng.end - rng.start) == timedelta(hours=25)
    assert rng.start == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    totals = selectors.summary(tenant=tenant, rng=rng)
    # local 25 Oct = UTC 24 Oct 22:00 .. 25 Oct 23:00: C's 23:50 (yesterday UTC) counts, E's 23:30 does not
    assert totals["pageviews"] == 1 + 3 + 1 + 1 + 1  # C 23:50, C 00:10, A+B at 10h, A 11h, D 22:30
    assert totals["searches"] == 1 and totals["zero_result_searches"] == 1
    series = selectors.build_report(
        tenant=tenant,
        name="timeseries",
        rng=selectors.resolve_range(tenant=tenant, date_from="2026-10-24", date_to="2026-10-26"),
    )["rows"]
    assert [(r["label"], r["pageviews"]) for r in series] == [("2026-10-24", 0), ("2026-10-25", 7), ("2026-10-26", 1)]
    hours = selectors.timeseries(tenant=tenant, rng=rng)
    assert len(hours) == 25 and sum(r["pageviews"] for r in hours) == 7


def test_top_reports_and_previous_period(tenant, fixture_events):
    tenant.time_zone = "UTC"
    rollups.rebuild_dirty()
    rng = selectors.resolve_range(tenant=tenant, date_from="2026-10-25", date_to="2026-10-25")
    pages = selectors.build_report(tenant=tenant, name="pages", rng=rng)["rows"]
    assert pages[0] == {"key": "/", "label": "/", "count": 3}
    products = selectors.build_report(tenant=tenant, name="products", rng=rng)["rows"]
    assert products == [{"key": "ref:SKU-9", "label": "SKU-9", "count": 1}]
    report = selectors.build_report(tenant=tenant, name="summary", rng=rng)
    assert report["totals"]["pageviews"] == 5 and report["previous"]["pageviews"] == 1
    assert report["change"]["pageviews"] == 400.0
    assert report["totals"]["bounce_rate"] == round(100 * 2 / 3, 1)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "year"}, "period"),
        ({"date_from": "2026-10-01"}, "from"),
        ({"date_from": "2026-10-05", "date_to": "2026-10-01"}, "to"),
        ({"date_from": "nope", "date_to": "2026-10-01"}, "from"),
        ({"date_from": "2020-01-01", "date_to": "2026-10-01"}, "from"),
    ],
)
def test_bad_ranges_are_rejected(tenant, params, field):
    from apps.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as caught:
        selectors.resolve_range(tenant=tenant, **params)
    assert field in caught.value.details


def test_unknown_report(tenant):
    from apps.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        selectors.build_report(tenant=tenant, name="nope", rng=selectors.resolve_range(tenant=tenant, period="today"))


def test_rollups_are_per_tenant(tenant, fixture_events):
    from tests.factories import TenantFactory

    other = TenantFactory()
    services.get_or_create_settings(tenant=other)
    rollups.rebuild_dirty()
    rng = selectors.resolve_range(tenant=other, date_from="2026-10-24", date_to="2026-10-26")
    assert selectors.summary(tenant=other, rng=rng)["pageviews"] == 0


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["day-before", "dst-day", "day-after"])
def test_postgres_aggregation_matches_the_reference_implementation(tenant, offset):
    from datetime import time

    from apps.analytics import traffic

    start = datetime.combine(DAY - timedelta(days=1), time.min, tzinfo=UTC)
    rows = list(traffic.generate(tenant_id=tenant.pk, start=start, days=3, events=3000, seed=7))
    event_store.copy_rows(rows)
    day = DAY + timedelta(days=offset)
    sql_totals, sql_dims = rollups.compute_day(tenant_id=tenant.pk, day=day)
    py_totals, py_dims = rollups.compute_day_python(tenant_id=tenant.pk, day=day)
    assert sql_totals == py_totals
    assert {k: dict(v) for k, v in sql_dims.items()} == {k: dict(v) for k, v in py_dims.items()}
    assert sum(values["pageviews"] for values in sql_totals.values()) > 100


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "UTC"])
def test_top_lists_from_daily_and_edge_hours_match_hourly_sums(tenant, zone):
    from datetime import time

    from django.db.models import Sum

    from apps.analytics import traffic

    tenant.time_zone = zone
    start = datetime.combine(DAY - timedelta(days=3), time.min, tzinfo=UTC)
    rows = list(traffic.generate(tenant_id=tenant.pk, start=start, days=6, events=4000, seed=3))
    event_store.copy_rows(rows)
    rollups.rebuild_range(tenant_id=tenant.pk, first=start.date(), last=start.date() + timedelta(days=6))
    rng = selectors.resolve_range(tenant=tenant, date_from="2026-10-23", date_to="2026-10-26")
    for dimension in ("page", "product", "search", "referrer"):
        expected = {
            row["key"]: row["n"]
            for row in DimensionRollup.objects.for_tenant(tenant)
            .filter(dimension=dimension, hour__gte=rng.start, hour__lt=rng.end)
            .values("key")
            .annotate(n=Sum("count"))
        }
        got = {
            row["key"]: row["count"] for row in selectors.top(tenant=tenant, rng=rng, dimension=dimension, limit=10_000)
        }
        assert got == expected and got
