"""Analytics reads: date ranges in the tenant's time zone, and reports from the rollups.

Reports never scan raw events: they sum ``HourlyRollup`` and ``DimensionRollup`` rows between two
UTC instants that are local midnights of the tenant, so daylight-saving days (23 or 25 hours) come
out right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC as dt_utc
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.utils import timezone

from apps.analytics import commerce  # a module import: commerce reads these selectors
from apps.analytics.catalog_bridge import product_labels
from apps.analytics.models import (
    DailyDimensionRollup,
    Dimension,
    DimensionRollup,
    HourlyRollup,
    PrivacyRequest,
)
from apps.core.errors import ApplicationError, ErrorCode, Invalid

PERIODS = ("today", "7d", "30d", "custom")
MAX_RANGE_DAYS = 400
TOTALS = ("pageviews", "day_visitors", "sessions", "bounces", "product_views", "searches", "zero_result_searches")
REPORTS = {
    "summary": None,
    "timeseries": None,
    "pages": Dimension.PAGE,
    "products": Dimension.PRODUCT,
    "referrers": Dimension.REFERRER,
    "search-terms": Dimension.SEARCH,
    "zero-result-searches": Dimension.ZERO_SEARCH,
    "commerce": None,
    "funnel": None,
    "product-sales": None,
    "vouchers": None,
}
COMMERCE_REPORTS = frozenset({"commerce", "funnel", "product-sales", "vouchers"})


@dataclass(frozen=True)
class DateRange:
    """Local dates ``first``..``last`` (inclusive) of a tenant, and the UTC instants bounding them."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=self.zone).astimezone(dt_utc)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=self.zone).astimezone(dt_utc)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> DateRange:
        """The period of the same length just before this one (for comparisons)."""
        return DateRange(self.first - timedelta(days=self.days), self.first - timedelta(days=1), self.zone)

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=offset) for offset in range(self.days)]


def tenant_zone(tenant) -> ZoneInfo:
    try:
        return ZoneInfo(tenant.time_zone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def local_today(tenant) -> date:
    return timezone.now().astimezone(tenant_zone(tenant)).date()


def _parse_date(value, name: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid({name: ["Use YYYY-MM-DD."]}, message=f"'{name}' must be a date (YYYY-MM-DD).") from None


def resolve_range(*, tenant, period: str = "7d", date_from=None, date_to=None) -> DateRange:
    """The dates a report covers: ``today``, ``7d``, ``30d`` (ending today) or ``custom``."""
    zone, today = tenant_zone(tenant), local_today(tenant)
    if date_from or date_to:
        period = "custom"
    if period not in PERIODS:
        raise Invalid({"period": [f"One of {', '.join(PERIODS)}."]}, message="Unknown period.")
    if period == "today":
        return DateRange(today, today, zone)
    if period in ("7d", "30d"):
        return DateRange(today - timedelta(days=int(period[:-1]) - 1), today, zone)
    if not date_from or not date_to:
        raise Invalid(
            {"from": ["Required for a custom range."], "to": ["Required for a custom range."]},
            message="A custom range needs 'from' and 'to'.",
        )
    first, last = _parse_date(date_from, "from"), _parse_date(date_to, "to")
    if last < first:
        raise Invalid({"to": ["Before 'from'."]}, message="'to' is before 'from'.")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise Invalid({"from": ["Too long."]}, message=f"A range covers at most {MAX_RANGE_DAYS} days.")
    return DateRange(first, last, zone)


def _hourly(*, tenant, rng: DateRange):
    return HourlyRollup.objects.for_tenant(tenant).filter(hour__gte=rng.start, hour__lt=rng.end)


def summary(*, tenant, rng: DateRange) -> dict:
    """Totals over the range: visitors (unique per day), pageviews, sessions, bounce rate, ..."""
    sums = _hourly(tenant=tenant, rng=rng).aggregate(**{name: Sum(name) for name in TOTALS})
    values = {name: int(sums[name] or 0) for name in TOTALS}
    values["visitors"] = values.pop("day_visitors")
    values["bounce_rate"] = round(100 * values["bounces"] / values["sessions"], 1) if values["sessions"] else 0.0
    return values


def compare(*, current: dict, previous: dict) -> dict:
    """Percentage change of each total against the previous period (None when it was zero)."""
    changes = {}
    for name, value in current.items():
        before = previous.get(name) or 0
        changes[name] = None if not before else round(100 * (value - before) / before, 1)
    return changes


def timeseries(*, tenant, rng: DateRange) -> list[dict]:
    """Visitors and pageviews per local day (per local hour for a single day)."""
    zone = rng.zone
    rows = _hourly(tenant=tenant, rng=rng).values_list("hour", "day_visitors", "pageviews")
    if rng.days == 1:
        buckets = {}
        moment = rng.start.astimezone(dt_utc)
        while moment < rng.end:
            buckets[moment] = {"visitors": 0, "pageviews": 0}
            moment += timedelta(hours=1)
        for hour, visitors, pageviews in rows:
            bucket = buckets.setdefault(hour, {"visitors": 0, "pageviews": 0})
            bucket["visitors"] += visitors
            bucket["pageviews"] += pageviews
        return [
            {"label": hour.astimezone(zone).strftime("%H:%M"), "start": hour, **values}
            for hour, values in sorted(buckets.items())
        ]
    days = {day: {"visitors": 0, "pageviews": 0} for day in rng.dates()}
    for hour, visitors, pageviews in rows:
        bucket = days.setdefault(hour.astimezone(zone).date(), {"visitors": 0, "pageviews": 0})
        bucket["visitors"] += visitors
        bucket["pageviews"] += pageviews
    return [{"label": day.isoformat(), "start": day, **values} for day, values in sorted(days.items())]


def top(*, tenant, rng: DateRange, dimension: str, limit: int = 10) -> list[dict]:
    """The most frequent keys of a dimension over the range."""
    totals = dimension_totals(tenant=tenant, rng=rng, dimension=dimension)
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    result = [{"key": key, "label": key, "count": count} for key, count in ranked]
    if dimension == Dimension.PRODUCT and result:
        labels = product_labels(tenant=tenant, keys=[row["key"] for row in result])
        for row in result:
            row["label"] = labels.get(row["key"], row["key"].removeprefix("ref:"))
    return result


def dimension_totals(*, tenant, rng: DateRange, dimension: str) -> dict[str, int]:
    """``{key: total}`` of one dimension over the range (every key the rollups kept)."""
    return dimensions_totals(tenant=tenant, rng=rng, dimensions=[dimension])[dimension]


def dimensions_totals(*, tenant, rng: DateRange, dimensions: list[str]) -> dict[str, dict[str, int]]:
    """``{dimension: {key: total}}`` of several dimensions over the range, in the queries of one."""
    totals: dict[str, dict[str, int]] = {dimension: {} for dimension in dimensions}
    for dimension, key, total in _dimension_sums(tenant=tenant, rng=rng, dimensions=dimensions):
        totals[dimension][key] = totals[dimension].get(key, 0) + int(total)
    return totals


def _dimension_sums(*, tenant, rng: DateRange, dimensions: list[str]):
    """``(dimension, key, count)`` sums over the range: whole UTC days from the daily table, the
    partial days at either end (local midnights are rarely UTC midnights) from the hourly table."""
    start, end = rng.start, rng.end
    first_full = start.date() if start == _utc_midnight(start.date()) else start.date() + timedelta(days=1)
    last_full = end.date()  # exclusive
    hourly = DimensionRollup.objects.for_tenant(tenant).filter(dimension__in=dimensions)
    if first_full >= last_full:
        yield from (
            hourly.filter(hour__gte=start, hour__lt=end).values_list("dimension", "key").annotate(total=Sum("count"))
        )
        return
    daily = DailyDimensionRollup.objects.for_tenant(tenant).filter(
        dimension__in=dimensions, day__gte=first_full, day__lt=last_full
    )
    yield from daily.values_list("dimension", "key").annotate(total=Sum("count"))
    edges = [(start, _utc_midnight(first_full)), (_utc_midnight(last_full), end)]
    for edge_start, edge_end in edges:
        if edge_start < edge_end:
            yield from (
                hourly.filter(hour__gte=edge_start, hour__lt=edge_end)
                .values_list("dimension", "key")
                .annotate(total=Sum("count"))
            )


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=dt_utc)


def build_report(*, tenant, name: str, rng: DateRange, limit: int = 10) -> dict:
    """One named report (see ``REPORTS``) as a JSON-ready dict: the same numbers as the dashboard."""
    if name not in REPORTS:
        raise ApplicationError(
            "Unknown report.",
            code=ErrorCode.NOT_FOUND,
            status=404,
            details={"report": [f"One of {', '.join(REPORTS)}."]},
        )
    meta = {"report": name, "from": rng.first.isoformat(), "to": rng.last.isoformat(), "time_zone": str(rng.zone)}
    if name == "summary":
        current = summary(tenant=tenant, rng=rng)
        previous = summary(tenant=tenant, rng=rng.previous())
        return {**meta, "totals": current, "previous": previous, "change": compare(current=current, previous=previous)}
    if name in COMMERCE_REPORTS:
        return {**meta, **commerce.build_commerce_report(tenant=tenant, name=name, rng=rng, limit=limit)}
    if name == "timeseries":
        rows = timeseries(tenant=tenant, rng=rng)
        return {
            **meta,
            "rows": [{"label": r["label"], "visitors": r["visitors"], "pageviews": r["pageviews"]} for r in rows],
        }
    return {**meta, "rows": top(tenant=tenant, rng=rng, dimension=REPORTS[name], limit=limit)}


def report_csv_rows(report: dict) -> list[list]:
    """A report as CSV rows (header first)."""
    if report["report"] in COMMERCE_REPORTS:
        return commerce.commerce_csv_rows(report)
    if report["report"] == "summary":
        return [["metric", "value", "previous", "change_percent"]] + [
            [name, value, report["previous"][name], report["change"][name]] for name, value in report["totals"].items()
        ]
    if report["report"] == "timeseries":
        return [["period", "visitors", "pageviews"]] + [
            [r["label"], r["visitors"], r["pageviews"]] for r in report["rows"]
        ]
    return [["key", "label", "count"]] + [[r["key"], r["label"], r["count"]] for r in report["rows"]]


def list_privacy_requests(*, user, limit: int = 10):
    """The user's recent privacy requests (export and erasure), newest first."""
    return PrivacyRequest.objects.filter(user_id=user.pk).order_by("-created_at")[:limit]
