"""Commerce reports from the rollups: revenue, orders, average order value, conversion, the
funnel, product sales and voucher use (read only; the same numbers for the dashboard, the API
and the CSV exports).

Revenue is summed as whole hundredths (``HourlyRollup.revenue_cents``) and turned into a
``Decimal`` once; the average order value (revenue / orders) is rounded half-up to the cent.
Revenue is the orders' totals as placed (tax and shipping included, discounts taken off), less the
refunds made in the range (``refunded_cents``, from ``refund`` events) and less what the
cancellations made in the range took off without a refund (``cancelled_cents``, from
``cancellation`` events: an unpaid order's cancelled amount; a paid one's comes back as refunds, so
it is taken off once). Orders are the orders placed less the whole orders cancelled in the range
(paid or not: a cancelled order is not a sale), units likewise less the units cancelled; product
sales and voucher uses are net of the cancelled lines and the uses given back. The funnel's last
step stays "orders placed". Conversion rate is (net) orders per session, as a percentage.
Funnel steps count events: product views, add-to-cart actions, checkouts started, orders placed;
each step's drop-off is the share of the previous step's count
that the step did not reach (negative when a step outnumbers the one before, e.g. items added
from a listing without a product view).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from apps.analytics import selectors  # a module import: selectors builds the commerce reports from here
from apps.analytics.catalog_bridge import product_labels
from apps.analytics.cents import from_cents
from apps.analytics.models import Dimension, HourlyRollup
from apps.core.money import round_money

SALES_COUNTERS = (
    "orders",
    "units",
    "revenue_cents",
    "refunded_cents",
    "cancelled_orders",
    "cancelled_units",
    "cancelled_cents",
    "sessions",
    "product_views",
    "add_to_carts",
    "checkouts",
)
FUNNEL_STEPS = (
    ("product_view", "Product views", "product_views"),
    ("add_to_cart", "Added to cart", "add_to_carts"),
    ("checkout_started", "Checkouts started", "checkouts"),
    ("purchase", "Orders placed", "orders"),
)
MONEY_METRICS = frozenset({"revenue", "refunds", "cancelled", "average_order_value"})


def sales_counters(*, tenant, rng) -> dict[str, int]:
    """The commerce counters of the hourly rollups summed over the range."""
    rows = HourlyRollup.objects.for_tenant(tenant).filter(hour__gte=rng.start, hour__lt=rng.end)
    sums = rows.aggregate(**{name: Sum(name) for name in SALES_COUNTERS})
    return {name: int(sums[name] or 0) for name in SALES_COUNTERS}


def commerce_totals(*, tenant, rng) -> dict:
    """Revenue (the orders' totals less the refunds and the unrefunded cancellations made in the
    range), refunds, cancelled and average order value (``Decimal``), orders (placed less whole
    cancellations), units (sold less cancelled), sessions and the conversion rate (orders per
    session, percent with two decimals) over the range."""
    counters = sales_counters(tenant=tenant, rng=rng)
    revenue = from_cents(counters["revenue_cents"] - counters["refunded_cents"] - counters["cancelled_cents"])
    orders, sessions = counters["orders"] - counters["cancelled_orders"], counters["sessions"]
    return {
        "revenue": revenue,
        "refunds": from_cents(counters["refunded_cents"]),
        "cancelled": from_cents(counters["cancelled_cents"]),
        "orders": orders,
        "average_order_value": round_money(revenue / orders) if orders > 0 else Decimal("0.00"),
        "conversion_rate": round(100 * orders / sessions, 2) if sessions else 0.0,
        "units": counters["units"] - counters["cancelled_units"],
        "sessions": sessions,
    }


def percent_change(value, before) -> float | None:
    """Change from ``before`` to ``value`` in percent (one decimal); None when ``before`` is zero."""
    if not before:
        return None
    return round(float(100 * (Decimal(str(value)) - Decimal(str(before))) / Decimal(str(before))), 1)


def _json_totals(totals: dict) -> dict:
    return {name: str(value) if name in MONEY_METRICS else value for name, value in totals.items()}


def commerce_report(*, tenant, rng) -> dict:
    """Totals, the previous period's totals and the change of each (money as decimal strings)."""
    current = commerce_totals(tenant=tenant, rng=rng)
    previous = commerce_totals(tenant=tenant, rng=rng.previous())
    return {
        "currency": tenant.currency,
        "totals": _json_totals(current),
        "previous": _json_totals(previous),
        "change": {name: percent_change(current[name], previous[name]) for name in current},
    }


def funnel(*, tenant, rng) -> list[dict]:
    """The four steps with their counts, the share kept from the previous step and the drop-off."""
    counters = sales_counters(tenant=tenant, rng=rng)
    steps, previous = [], None
    first = counters[FUNNEL_STEPS[0][2]]
    for step, label, counter in FUNNEL_STEPS:
        count = counters[counter]
        kept = round(100 * count / previous, 1) if previous else None
        steps.append(
            {
                "step": step,
                "label": label,
                "count": count,
                "of_previous": kept,
                "drop_off": None if kept is None else round(100 - kept, 1),
                "of_first": round(100 * count / first, 1) if first else None,
            }
        )
        previous = count
    return steps


def product_sales(*, tenant, rng, limit: int = 10) -> list[dict]:
    """Top products by revenue (then units), net of the cancelled lines: key, label, revenue
    (``Decimal``) and units. A product whose sales were all cancelled drops out."""

    sums = selectors.dimensions_totals(
        tenant=tenant,
        rng=rng,
        dimensions=[
            Dimension.PRODUCT_REVENUE,
            Dimension.CANCEL_REVENUE,
            Dimension.PRODUCT_UNITS,
            Dimension.CANCEL_UNITS,
        ],
    )
    revenue = _net(sums[Dimension.PRODUCT_REVENUE], sums[Dimension.CANCEL_REVENUE])
    units = _net(sums[Dimension.PRODUCT_UNITS], sums[Dimension.CANCEL_UNITS])
    sold = {key for key in set(revenue) | set(units) if revenue.get(key, 0) > 0 or units.get(key, 0) > 0}
    keys = sorted(sold, key=lambda key: (-revenue.get(key, 0), -units.get(key, 0), key))[:limit]
    labels = product_labels(tenant=tenant, keys=keys) if keys else {}
    return [
        {
            "key": key,
            "label": labels.get(key, key.removeprefix("ref:")),
            "revenue": from_cents(revenue.get(key, 0)),
            "units": units.get(key, 0),
        }
        for key in keys
    ]


def _net(totals: dict[str, int], cancelled: dict[str, int]) -> dict[str, int]:
    """``{key: total}`` less the same keys' ``cancelled`` counts."""
    net = dict(totals)
    for key, count in cancelled.items():
        net[key] = net.get(key, 0) - count
    return net


def voucher_use(*, tenant, rng, limit: int = 10) -> list[dict]:
    """Voucher codes by how many orders used them over the range, less the uses given back by
    whole cancellations made in it (codes left with no use drop out)."""

    sums = selectors.dimensions_totals(tenant=tenant, rng=rng, dimensions=[Dimension.VOUCHER, Dimension.CANCEL_VOUCHER])
    uses = _net(sums[Dimension.VOUCHER], sums[Dimension.CANCEL_VOUCHER])
    ranked = sorted(((code, n) for code, n in uses.items() if n > 0), key=lambda item: (-item[1], item[0]))[:limit]
    return [{"code": code, "uses": count} for code, count in ranked]


def build_commerce_report(*, tenant, name: str, rng, limit: int = 10) -> dict:
    """The body of the ``commerce``, ``funnel``, ``product-sales`` or ``vouchers`` report."""
    if name == "commerce":
        return commerce_report(tenant=tenant, rng=rng)
    if name == "funnel":
        return {"steps": funnel(tenant=tenant, rng=rng)}
    if name == "product-sales":
        rows = product_sales(tenant=tenant, rng=rng, limit=limit)
        return {"currency": tenant.currency, "rows": [{**row, "revenue": str(row["revenue"])} for row in rows]}
    return {"rows": voucher_use(tenant=tenant, rng=rng, limit=limit)}


def commerce_csv_rows(report: dict) -> list[list]:
    """A commerce report as CSV rows (header first): the same numbers as the API."""
    name = report["report"]
    if name == "commerce":
        return [["metric", "value", "previous", "change_percent", "currency"]] + [
            [metric, value, report["previous"][metric], report["change"][metric], report["currency"]]
            for metric, value in report["totals"].items()
        ]
    if name == "funnel":
        return [["step", "count", "of_previous_percent", "drop_off_percent", "of_first_percent"]] + [
            [s["step"], s["count"], s["of_previous"], s["drop_off"], s["of_first"]] for s in report["steps"]
        ]
    if name == "product-sales":
        return [["key", "label", "revenue", "units", "currency"]] + [
            [r["key"], r["label"], r["revenue"], r["units"], report["currency"]] for r in report["rows"]
        ]
    return [["code", "uses"]] + [[r["code"], r["uses"]] for r in report["rows"]]
