"""Commerce reports on hand-computed fixtures: the funnel, revenue / AOV / conversion with the
previous period, product sales and voucher use; the dashboard, the API and the CSV agree."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from apps.analytics import commerce, event_store, rollups, selectors
from apps.analytics.models import HourlyRollup
from tests.analytics.conftest import row

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 10)  # Europe/Paris is UTC+1 then: 08:00-20:00 UTC stays on the local day
PREVIOUS_DAY = date(2026, 11, 8)


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def purchase(tenant, when, *, revenue_cents, items, voucher=None):
    """A server-side purchase as ``purchases.build_purchase_event`` writes it (visitor "")."""
    props = {
        "revenue_cents": revenue_cents,
        "revenue": str(Decimal(revenue_cents) / 100),
        "currency": "EUR",
        "units": sum(units for _, _, units, _ in items),
        "items": [
            {"product_id": product_id, "ref": ref, "units": units, "revenue_cents": cents}
            for product_id, ref, units, cents in items
        ],
    }
    if voucher:
        props["voucher"] = voucher
    return row(tenant, when, "", "purchase", props=props)


def store_and_roll_up(rows, tenant):
    event_store.write_batch(rows)
    rollups.mark_dirty(rows)
    assert rollups.rebuild_dirty() >= 1
    assert HourlyRollup.objects.for_tenant(tenant).exists()


def custom(tenant, first, last):
    return selectors.resolve_range(tenant=tenant, period="custom", date_from=first, date_to=last)


@pytest.fixture
def funnel_events(tenant):
    """Five visitors. Product views: A 3, B 3, C 2, D 1, E 1 = 10. Add to cart: A 2, B 1, C 1 = 4.
    Checkouts started: A 1, B 1 = 2. Orders: 1 (A's, server-side)."""
    rows = []
    views = {"A": 3, "B": 3, "C": 2, "D": 1, "E": 1}
    adds = {"A": 2, "B": 1, "C": 1}
    checkouts = {"A": 1, "B": 1}
    for offset, (visitor, count) in enumerate(views.items()):
        for n in range(count):
            rows.append(row(tenant, at(10 + offset, n), visitor, url="/p/1"))
            rows.append(row(tenant, at(10 + offset, n), visitor, "product_view", product_ref="SKU-1"))
    for offset, (visitor, count) in enumerate(adds.items()):
        rows += [
            row(tenant, at(10 + offset, 10 + n), visitor, "add_to_cart", product_ref="SKU-1") for n in range(count)
        ]
    for offset, (visitor, count) in enumerate(checkouts.items()):
        rows += [row(tenant, at(10 + offset, 20 + n), visitor, "checkout_started") for n in range(count)]
    rows.append(purchase(tenant, at(10, 25), revenue_cents=2500, items=[(None, "SKU-1", 1, 2500)]))
    store_and_roll_up(rows, tenant)
    return rows


def test_funnel_on_a_hand_computed_fixture(tenant, funnel_events):
    steps = commerce.funnel(tenant=tenant, rng=custom(tenant, DAY, DAY))

    # counts 10 -> 4 -> 2 -> 1; kept 4/10, 2/4, 1/2; drop-off the rest; share of the first step
    assert [(s["step"], s["count"], s["of_previous"], s["drop_off"], s["of_first"]) for s in steps] == [
        ("product_view", 10, None, None, 100.0),
        ("add_to_cart", 4, 40.0, 60.0, 40.0),
        ("checkout_started", 2, 50.0, 50.0, 20.0),
        ("purchase", 1, 50.0, 50.0, 10.0),
    ]


def test_the_python_reference_and_postgres_agree_on_commerce_counters(tenant, funnel_events):
    if not event_store.is_postgres():
        pytest.skip("PostgreSQL pushes the work down; the reference is the SQLite path")
    pushed, pushed_dims = rollups.compute_day(tenant_id=tenant.pk, day=DAY)
    reference, reference_dims = rollups.compute_day_python(tenant_id=tenant.pk, day=DAY)
    names = ("add_to_carts", "checkouts", "orders", "units", "revenue_cents", "sessions", "visitors", "product_views")
    assert {h: {n: v[n] for n in names} for h, v in pushed.items()} == {
        h: {n: v[n] for n in names} for h, v in reference.items()
    }
    assert pushed_dims == dict(reference_dims)


def test_purchases_belong_to_no_visit(tenant, funnel_events):
    totals = selectors.summary(tenant=tenant, rng=custom(tenant, DAY, DAY))
    # 5 visitors, each in one session (their events are minutes apart): the purchase adds neither
    assert totals["visitors"] == 5 and totals["sessions"] == 5


@pytest.fixture
def sales_events(tenant):
    """Current period (9-10 Nov): 4 one-page sessions (A-D); 3 orders of 10.00 (2 units of product
    101, voucher WINTER10), 20.50 (1 x SKU-X, WINTER10) and 0.01 (1 x product 101, VIP).
    Previous period (7-8 Nov): 2 sessions (E, F) and 1 order of 15.00 (3 x SKU-X)."""
    rows = [row(tenant, at(10 + n), visitor, url="/") for n, visitor in enumerate("ABCD")]
    rows += [
        purchase(tenant, at(10, 5), revenue_cents=1000, items=[(101, "SKU-101", 2, 1000)], voucher="WINTER10"),
        purchase(tenant, at(11, 5), revenue_cents=2050, items=[(None, "SKU-X", 1, 2050)], voucher="WINTER10"),
        purchase(tenant, at(12, 5), revenue_cents=1, items=[(101, "SKU-101", 1, 1)], voucher="VIP"),
    ]
    rows += [row(tenant, at(10 + n, day=PREVIOUS_DAY), visitor, url="/") for n, visitor in enumerate("EF")]
    rows.append(purchase(tenant, at(10, 5, PREVIOUS_DAY), revenue_cents=1500, items=[(None, "SKU-X", 3, 1500)]))
    store_and_roll_up(rows, tenant)
    return rows


def test_revenue_aov_and_conversion_with_the_previous_period(tenant, sales_events):
    report = selectors.build_report(tenant=tenant, name="commerce", rng=custom(tenant, date(2026, 11, 9), DAY))

    # 10.00 + 20.50 + 0.01 = 30.51 over 3 orders: 10.17 each (10.17 exactly);
    # 3 orders / 4 sessions = 75 %. Before: 15.00, 1 order, 1 / 2 sessions = 50 %.
    assert report["currency"] == "EUR"
    assert report["totals"] == {
        "revenue": "30.51",
        "refunds": "0.00",
        "cancelled": "0.00",
        "orders": 3,
        "average_order_value": "10.17",
        "conversion_rate": 75.0,
        "units": 4,
        "sessions": 4,
    }
    assert report["previous"] == {
        "revenue": "15.00",
        "refunds": "0.00",
        "cancelled": "0.00",
        "orders": 1,
        "average_order_value": "15.00",
        "conversion_rate": 50.0,
        "units": 3,
        "sessions": 2,
    }
    # (30.51 - 15) / 15 = +103.4 %; orders +200 %; AOV (10.17 - 15) / 15 = -32.2 %; conversion +50 %
    assert report["change"] == {
        "revenue": 103.4,
        "refunds": None,
        "cancelled": None,
        "orders": 200.0,
        "average_order_value": -32.2,
        "conversion_rate": 50.0,
        "units": 33.3,
        "sessions": 100.0,
    }


def test_product_sales_and_voucher_use(tenant, sales_events):
    rng = custom(tenant, date(2026, 11, 9), DAY)
    rows = commerce.product_sales(tenant=tenant, rng=rng)
    # SKU-X 20.50 (1 unit) ranks above product 101: 10.00 + 0.01 = 10.01 (3 units)
    assert [(r["key"], r["label"], r["revenue"], r["units"]) for r in rows] == [
        ("ref:SKU-X", "SKU-X", Decimal("20.50"), 1),
        ("101", "101", Decimal("10.01"), 3),
    ]
    assert commerce.voucher_use(tenant=tenant, rng=rng) == [{"code": "WINTER10", "uses": 2}, {"code": "VIP", "uses": 1}]


def test_api_and_csv_serve_the_dashboard_numbers(tenant, sales_events, make_member, client):
    from apps.analytics.exports import build_report_export
    from apps.analytics.models import ReportExport

    client.force_login(make_member(tenant, "analyst"))
    base = f"/api/v1/t/{tenant.slug}/analytics/reports"
    params = {"from": "2026-11-09", "to": "2026-11-10"}
    sales = client.get(f"{base}/product-sales", params).json()
    assert sales["rows"] == [
        {"key": "ref:SKU-X", "label": "SKU-X", "revenue": "20.50", "units": 1},
        {"key": "101", "label": "101", "revenue": "10.01", "units": 3},
    ]
    assert client.get(f"{base}/vouchers", params).json()["rows"][0] == {"code": "WINTER10", "uses": 2}
    summary = client.get(f"{base}/commerce", params).json()
    assert summary["totals"]["revenue"] == "30.51" and summary["change"]["orders"] == 200.0
    funnel = client.get(f"{base}/funnel", params).json()
    assert [step["count"] for step in funnel["steps"]] == [0, 0, 0, 3]

    export = ReportExport.objects.create(
        tenant=tenant, report="commerce", date_from=date(2026, 11, 9), date_to=DAY, requested_by=None
    )
    export = build_report_export(export_id=export.pk)
    from django.core.files.storage import default_storage

    with default_storage.open(export.file_name) as handle:
        table = list(csv.reader(io.StringIO(handle.read().decode())))
    assert table[0] == ["metric", "value", "previous", "change_percent", "currency"]
    assert ["revenue", "30.51", "15.00", "103.4", "EUR"] in table
    assert ["average_order_value", "10.17", "15.00", "-32.2", "EUR"] in table


def test_dashboard_shows_the_sales_cards_funnel_and_top_products(tenant, sales_events, owner, client):
    client.force_login(owner)
    query = {"period": "custom", "date_from": "2026-11-09", "date_to": "2026-11-10"}
    html = client.get(f"/a/{tenant.slug}/analytics/", query)
    assert html.status_code == 200
    page = html.content.decode()
    assert 'data-metric="revenue"' in page and "€30.51" in page and "€10.17" in page
    assert 'data-metric="conversion_rate"' in page and "75.0" in page
    assert 'id="report-funnel"' in page and 'data-step="purchase"' in page
    assert "SKU-X" in page and "€20.50" in page and "WINTER10" in page


def _json_schema(node):
    """OpenAPI 3.0 ``nullable`` as JSON Schema (``type: [t, "null"]``), recursively."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and "type" in node:
        converted["type"] = [node["type"], "null"]
    return converted


def test_every_report_answers_in_exactly_one_documented_shape(tenant, sales_events, make_member, client):
    import jsonschema

    client.force_login(make_member(tenant, "analyst"))
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    components = _json_schema(schema["components"])
    shapes = components["schemas"]["AnalyticsReport"]["oneOf"]
    for name in selectors.REPORTS:
        body = client.get(
            f"/api/v1/t/{tenant.slug}/analytics/reports/{name}", {"from": "2026-11-09", "to": "2026-11-10"}
        )
        assert body.status_code == 200, body.content
        matching = [
            shape["$ref"]
            for shape in shapes
            if jsonschema.Draft7Validator({**shape, "components": components}).is_valid(body.json())
        ]
        assert len(matching) == 1, (name, matching)


def test_csv_rows_of_every_commerce_report(tenant, sales_events):
    rng = custom(tenant, date(2026, 11, 9), DAY)

    def rows(name):
        return selectors.report_csv_rows(selectors.build_report(tenant=tenant, name=name, rng=rng))

    assert rows("funnel")[0] == ["step", "count", "of_previous_percent", "drop_off_percent", "of_first_percent"]
    assert rows("funnel")[-1] == ["purchase", 3, None, None, None]  # no product views in this fixture
    assert rows("product-sales") == [
        ["key", "label", "revenue", "units", "currency"],
        ["ref:SKU-X", "SKU-X", "20.50", 1, "EUR"],
        ["101", "101", "10.01", 3, "EUR"],
    ]
    assert rows("vouchers") == [["code", "uses"], ["WINTER10", 2], ["VIP", 1]]
