"""Rollup aggregation pushed down to PostgreSQL: one tenant's UTC day of raw events in four
statements (hourly totals, first sightings, sessions, top keys per dimension)."""

from __future__ import annotations

from datetime import UTC as dt_utc
from datetime import date, datetime, timedelta

from django.db import connection

from apps.analytics.event_schema import TABLE, is_postgres


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """``[start, end)`` of a UTC day."""
    start = datetime(day.year, day.month, day.day, tzinfo=dt_utc)
    return start, start + timedelta(days=1)


_AGG_BASIC = f"""
SELECT date_trunc('hour', occurred_at, 'UTC') AS hour,
       count(*) AS events,
       count(*) FILTER (WHERE type = 'page_view') AS pageviews,
       count(DISTINCT visitor) FILTER (WHERE visitor <> '') AS visitors,
       count(*) FILTER (WHERE type = 'product_view') AS product_views,
       count(*) FILTER (WHERE type = 'search') AS searches,
       count(*) FILTER (WHERE type = 'search' AND results_count = 0) AS zero_result_searches,
       count(*) FILTER (WHERE type = 'add_to_cart') AS add_to_carts,
       count(*) FILTER (WHERE type = 'checkout_started') AS checkouts,
       count(*) FILTER (WHERE type = 'purchase') AS orders,
       coalesce(sum((props->>'units')::bigint) FILTER (WHERE type = 'purchase'), 0) AS units,
       coalesce(sum((props->>'revenue_cents')::bigint) FILTER (WHERE type = 'purchase'), 0) AS revenue_cents,
       count(*) FILTER (WHERE type = 'refund') AS refunds,
       coalesce(sum((props->>'refund_cents')::bigint) FILTER (WHERE type = 'refund'), 0) AS refunded_cents,
       count(*) FILTER (WHERE type = 'cancellation') AS cancellations,
       count(*) FILTER (WHERE type = 'cancellation' AND (props->>'whole')::boolean) AS cancelled_orders,
       coalesce(sum((props->>'units')::bigint) FILTER (WHERE type = 'cancellation'), 0) AS cancelled_units,
       coalesce(sum((props->>'cancelled_cents')::bigint) FILTER (WHERE type = 'cancellation'), 0) AS cancelled_cents
FROM {TABLE} WHERE tenant_id = %(tenant)s AND occurred_at >= %(start)s AND occurred_at < %(end)s
GROUP BY 1
"""  # noqa: S608

_AGG_FIRSTS = f"""
SELECT date_trunc('hour', first_at, 'UTC') AS hour, count(*) AS day_visitors
FROM (SELECT visitor, min(occurred_at) AS first_at FROM {TABLE}
      WHERE tenant_id = %(tenant)s AND occurred_at >= %(start)s AND occurred_at < %(end)s AND visitor <> ''
      GROUP BY visitor) AS f
GROUP BY 1
"""  # noqa: S608

_AGG_SESSIONS = f"""
WITH ev AS (
  SELECT visitor, occurred_at, type,
         CASE WHEN lag(occurred_at) OVER w IS NULL OR occurred_at - lag(occurred_at) OVER w > %(gap)s
              THEN 1 ELSE 0 END AS is_start
  FROM {TABLE}
  WHERE tenant_id = %(tenant)s AND occurred_at >= %(wstart)s AND occurred_at < %(wend)s AND visitor <> ''
  WINDOW w AS (PARTITION BY visitor ORDER BY occurred_at)
), numbered AS (
  SELECT visitor, occurred_at, type, sum(is_start) OVER (PARTITION BY visitor ORDER BY occurred_at
         ROWS UNBOUNDED PRECEDING) AS sid FROM ev
), sessions AS (
  SELECT min(occurred_at) AS started, count(*) FILTER (WHERE type = 'page_view') AS pageviews
  FROM numbered GROUP BY visitor, sid
)
SELECT date_trunc('hour', started, 'UTC') AS hour, count(*) AS sessions,
       count(*) FILTER (WHERE pageviews < 2) AS bounces
FROM sessions WHERE started >= %(start)s AND started < %(end)s GROUP BY 1
"""  # noqa: S608

_AGG_DIMENSIONS = f"""
SELECT hour, dimension, key, n FROM (
  SELECT hour, dimension, key, n,
         row_number() OVER (PARTITION BY hour, dimension ORDER BY n DESC, key) AS rank
  FROM (
    SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, d.dimension, d.key, count(*) AS n
    FROM {TABLE}
    CROSS JOIN LATERAL (VALUES
      ('page', CASE WHEN type = 'page_view' AND url <> '' THEN url END),
      ('referrer', CASE WHEN type = 'page_view' AND referrer <> '' THEN referrer END),
      ('product', CASE WHEN type = 'product_view'
                       THEN coalesce(product_id::text, 'ref:' || product_ref) END),
      ('search', CASE WHEN type = 'search' THEN query END),
      ('zero_search', CASE WHEN type = 'search' AND results_count = 0 THEN query END),
      ('voucher', CASE WHEN type = 'purchase' AND coalesce(props->>'voucher', '') <> ''
                       THEN props->>'voucher' END),
      ('cancel_voucher', CASE WHEN type = 'cancellation' AND coalesce(props->>'voucher', '') <> ''
                              THEN props->>'voucher' END)
    ) AS d(dimension, key)
    WHERE tenant_id = %(tenant)s AND occurred_at >= %(start)s AND occurred_at < %(end)s AND d.key IS NOT NULL
    GROUP BY 1, 2, 3
  ) AS counted
) AS ranked WHERE rank <= %(top)s
"""  # noqa: S608


# Sales per product: the ``items`` of purchase events ({product_id, ref, units, revenue_cents}),
# and what cancellations took back of them (the ``items`` of cancellation events).
_AGG_PRODUCT_SALES = f"""
SELECT hour, dimension, key, n FROM (
  SELECT hour, dimension, key, n,
         row_number() OVER (PARTITION BY hour, dimension ORDER BY n DESC, key) AS rank
  FROM (
    SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, d.dimension,
           coalesce(item->>'product_id', 'ref:' || (item->>'ref')) AS key, sum(d.amount) AS n
    FROM {TABLE}
    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(props->'items') = 'array'
                                                 THEN props->'items' ELSE '[]'::jsonb END) AS item
    CROSS JOIN LATERAL (VALUES
      (CASE WHEN type = 'purchase' THEN 'product_revenue' ELSE 'cancel_revenue' END,
       (item->>'revenue_cents')::bigint),
      (CASE WHEN type = 'purchase' THEN 'product_units' ELSE 'cancel_units' END, (item->>'units')::bigint)
    ) AS d(dimension, amount)
    WHERE tenant_id = %(tenant)s AND occurred_at >= %(start)s AND occurred_at < %(end)s
      AND type IN ('purchase', 'cancellation')
    GROUP BY 1, 2, 3
  ) AS counted
) AS ranked WHERE rank <= %(top)s
"""  # noqa: S608


def aggregate_day(*, tenant_id: int, day: date, session_gap: timedelta, lookahead: timedelta, top_n: int):
    """Hourly totals and top keys of one tenant's UTC day, computed in PostgreSQL.

    Returns ``(totals, dimensions)``: ``{hour: {counter: n}}`` and ``{(hour, dimension): {key: n}}``
    (same meaning as the pure-Python ``rollups.compute_day``). Only for PostgreSQL.
    """
    start, end = day_bounds(day)
    params = {
        "tenant": tenant_id,
        "start": start,
        "end": end,
        "wstart": start - session_gap,
        "wend": end + lookahead,
        "gap": session_gap,
        "top": top_n,
    }
    totals: dict[datetime, dict] = {}
    dimensions: dict[tuple[datetime, str], dict] = {}
    with connection.cursor() as cursor:
        for sql in (_AGG_BASIC, _AGG_FIRSTS, _AGG_SESSIONS):
            cursor.execute(sql, params)
            names = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                totals.setdefault(row[0], {}).update(dict(zip(names[1:], row[1:], strict=True)))
        for sql in (_AGG_DIMENSIONS, _AGG_PRODUCT_SALES):
            cursor.execute(sql, params)
            for hour, dimension, key, count in cursor.fetchall():
                dimensions.setdefault((hour, dimension), {})[key] = int(count)
    return totals, dimensions


def lock_bucket(*, tenant_id: int, day: date) -> None:
    """Serialise writers of one (tenant, day) rollup bucket until the transaction ends (PostgreSQL
    advisory lock; SQLite serialises writers anyway)."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [tenant_id % 2**31, day.toordinal()])
