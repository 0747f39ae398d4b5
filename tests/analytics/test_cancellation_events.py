"""A cancellation takes the order back out of the dashboard's numbers, once: an unpaid bank-transfer
order cancelled leaves revenue, orders, units and product sales as they were before it; a paid one
cancelled is refunded by payments and its money counted off once (the refund), not twice; the
cancelled rest of a partly shipped unpaid order takes off only its lines. The real path: orders'
cancel service, the outbox (eager in tests), the ingestion buffer, the drain and the rollups.
Committed transactions (no test transaction), so the outbox runs as in production."""

from decimal import Decimal

import pytest

from apps.analytics import buffer, commerce, purchases, rollups, selectors
from apps.analytics.models import Event
from apps.orders import services as order_services
from apps.orders.models import OrderLine
from apps.payments import services as payment_services
from tests.payments.conftest import make_variant, place, shop  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _today_numbers(tenant):
    buffer.drain(consumer="t")
    rollups.rebuild_dirty()
    today = selectors.resolve_range(tenant=tenant, period="today")
    totals = commerce.commerce_totals(tenant=tenant, rng=today)
    products = {
        row["label"]: (row["revenue"], row["units"]) for row in commerce.product_sales(tenant=tenant, rng=today)
    }
    return totals, products


def test_an_unpaid_bank_transfer_order_cancelled_leaves_the_numbers_as_before(tenant, shop):  # noqa: F811
    kept, _ = place(tenant, shop, [(make_variant(tenant, price="10.00", name="Cup"), 1)])  # 10.00 + 4.90
    before, products_before = _today_numbers(tenant)
    assert (before["revenue"], before["orders"], before["units"]) == (Decimal("14.90"), 1, 1)

    order, _ = place(tenant, shop, [(make_variant(tenant, price="30.00", name="Mug"), 3)])  # 90.00 + 4.90
    placed, _ = _today_numbers(tenant)
    assert (placed["revenue"], placed["orders"]) == (Decimal("109.80"), 2)

    order_services.cancel_order(tenant=tenant, order_id=order.pk)
    after, products_after = _today_numbers(tenant)

    assert (after["revenue"], after["orders"], after["units"]) == (before["revenue"], 1, before["units"])
    assert after["average_order_value"] == before["average_order_value"] == Decimal("14.90")
    assert after["cancelled"] == Decimal("94.90") and after["refunds"] == Decimal("0.00")
    assert products_after == products_before  # the mug's sale is gone from the top products
    (event,) = Event.objects.filter(tenant_id=tenant.pk, type="cancellation")
    assert event.props["whole"] is True and event.props["cancelled_cents"] == 9490 and event.props["units"] == 3


def test_the_cancellation_event_is_stored_once_when_its_task_runs_again(tenant, shop):  # noqa: F811
    order, _ = place(tenant, shop, [(make_variant(tenant, price="30.00"), 1)])
    order_services.cancel_order(tenant=tenant, order_id=order.pk)
    buffer.drain(consumer="t")
    (event,) = Event.objects.filter(tenant_id=tenant.pk, type="cancellation")

    again = purchases.record_cancellation(
        tenant_id=tenant.pk,
        order_id=order.pk,
        whole=True,
        amount=event.props["amount"],
        unrefunded=event.props["unrefunded"],
        lines=[{"sku": item["ref"], "quantity": item["units"], "total": "30.00"} for item in event.props["items"]],
        voucher_code="",
        cancelled_at=event.occurred_at.isoformat(),
    )
    buffer.drain(consumer="t")

    assert again == str(event.event_id)
    assert Event.objects.filter(tenant_id=tenant.pk, type="cancellation").count() == 1
    rollups.rebuild_dirty()
    totals = commerce.commerce_totals(tenant=tenant, rng=selectors.resolve_range(tenant=tenant, period="today"))
    assert (totals["revenue"], totals["orders"]) == (Decimal("0.00"), 0)


def test_a_paid_order_cancelled_and_refunded_counts_its_money_off_once(tenant, shop, make_member):  # noqa: F811
    owner = make_member(tenant, role="owner")
    order, _ = place(tenant, shop, [(make_variant(tenant, price="30.00"), 3)])  # 94.90
    payment_services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)

    order_services.cancel_order(tenant=tenant, order_id=order.pk, actor=owner)  # payments refunds 94.90 after commit
    totals, products = _today_numbers(tenant)

    types = sorted(Event.objects.filter(tenant_id=tenant.pk).values_list("type", flat=True))
    assert types == ["cancellation", "purchase", "refund"]
    assert totals["refunds"] == Decimal("94.90") and totals["cancelled"] == Decimal("0.00")
    assert totals["revenue"] == Decimal("0.00")  # not -94.90: the money came off once
    assert totals["orders"] == 0 and totals["units"] == 0 and products == {}


def test_cancelling_the_rest_of_a_partly_shipped_unpaid_order_takes_off_only_those_lines(tenant, shop):  # noqa: F811
    mug, cup = make_variant(tenant, price="30.00", name="Mug"), make_variant(tenant, price="10.00", name="Cup")
    order, _ = place(tenant, shop, [(mug, 3), (cup, 2)], payment_method="cash_on_delivery")  # 90 + 20 + 4.90
    line = OrderLine.objects.for_tenant(tenant).get(order=order, variant_id=mug.pk)
    order_services.fulfil_order_lines(tenant=tenant, order_id=order.pk, lines=[{"line_id": line.pk, "quantity": 1}])

    order_services.cancel_order(tenant=tenant, order_id=order.pk)  # 2 mugs and 2 cups; the shipping stays
    totals, products = _today_numbers(tenant)

    assert totals["cancelled"] == Decimal("80.00")
    assert totals["revenue"] == Decimal("34.90")  # one mug and the shipping, as the courier will collect
    assert totals["orders"] == 1 and totals["units"] == 1  # part of it shipped: still a sale
    assert products == {"Mug": (Decimal("30.00"), 1)}


def test_postgres_and_the_python_reference_agree_on_cancellations(tenant, shop):  # noqa: F811
    from apps.analytics import event_store

    mug, cup = make_variant(tenant, price="30.00", name="Mug"), make_variant(tenant, price="10.00", name="Cup")
    whole, _ = place(tenant, shop, [(mug, 2)])
    part, _ = place(tenant, shop, [(mug, 1), (cup, 2)], payment_method="cash_on_delivery")
    line = OrderLine.objects.for_tenant(tenant).get(order=part, variant_id=cup.pk)
    order_services.fulfil_order_lines(tenant=tenant, order_id=part.pk, lines=[{"line_id": line.pk, "quantity": 1}])
    order_services.cancel_order(tenant=tenant, order_id=whole.pk)
    order_services.cancel_order(tenant=tenant, order_id=part.pk)
    buffer.drain(consumer="t")
    day = Event.objects.filter(tenant_id=tenant.pk, type="cancellation").first().occurred_at.date()

    pushed, pushed_dims = rollups.compute_day(tenant_id=tenant.pk, day=day)
    reference, reference_dims = rollups.compute_day_python(tenant_id=tenant.pk, day=day)

    assert event_store.is_postgres()
    names = (
        "orders",
        "units",
        "revenue_cents",
        "cancellations",
        "cancelled_orders",
        "cancelled_units",
        "cancelled_cents",
    )
    assert {h: {n: v[n] for n in names} for h, v in pushed.items()} == {
        h: {n: v[n] for n in names} for h, v in reference.items()
    }
    assert pushed_dims == dict(reference_dims)
    assert sum(v["cancelled_orders"] for v in pushed.values()) == 1  # the partly shipped order is still a sale


def test_the_api_the_csv_and_the_dashboard_give_the_same_net_numbers(tenant, shop, make_member, client):  # noqa: F811
    import csv
    import io

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from apps.analytics.exports import build_report_export
    from apps.analytics.models import ReportExport

    place(tenant, shop, [(make_variant(tenant, price="10.00", name="Cup"), 1)])  # 14.90, kept
    cancelled, _ = place(tenant, shop, [(make_variant(tenant, price="30.00", name="Mug"), 3)])
    order_services.cancel_order(tenant=tenant, order_id=cancelled.pk)
    dashboard_totals, _ = _today_numbers(tenant)

    owner = make_member(tenant, "owner")
    client.force_login(owner)
    api = client.get(f"/api/v1/t/{tenant.slug}/analytics/reports/commerce", {"period": "today"}).json()["totals"]
    page = client.get(f"/a/{tenant.slug}/analytics/", {"period": "today"})
    cards = {card["name"]: card["value"] for card in page.context["sales_cards"]}
    today = timezone.localdate()
    export = ReportExport.objects.create(
        tenant=tenant, report="commerce", date_from=today, date_to=today, requested_by=None
    )
    export = build_report_export(export_id=export.pk)
    with default_storage.open(export.file_name) as handle:
        table = {row[0]: row[1] for row in csv.reader(io.StringIO(handle.read().decode()))}

    assert (api["revenue"], api["orders"], api["cancelled"]) == ("14.90", 1, "94.90")
    assert (table["revenue"], table["orders"], table["cancelled"]) == ("14.90", "1", "94.90")
    assert dashboard_totals["revenue"] == Decimal("14.90") and dashboard_totals["orders"] == 1
    assert (cards["revenue"], cards["orders"], cards["cancelled"]) == ("14.90", 1, "94.90")


def test_the_cancellation_is_scheduled_in_the_cancel_transaction_once(tenant, shop):  # noqa: F811
    from django.db import transaction

    from apps.core.models import OutboxMessage

    order, _ = place(tenant, shop, [(make_variant(tenant, price="30.00"), 1)])
    rows = OutboxMessage.objects.filter(task_name="analytics.record_cancellation")
    with pytest.raises(RuntimeError), transaction.atomic():
        order_services.cancel_order(tenant=tenant, order_id=order.pk)
        raise RuntimeError("the cancel rolls back")
    assert not rows.exists()

    order_services.cancel_order(tenant=tenant, order_id=order.pk)
    order_services.cancel_order(tenant=tenant, order_id=order.pk)  # again: a no-op

    assert rows.count() == 1  # one outbox row (its arguments are cleared once delivered)
    buffer.drain(consumer="t")
    (event,) = Event.objects.filter(tenant_id=tenant.pk, type="cancellation")
    assert (event.props["order_id"], event.props["whole"], event.props["unrefunded"]) == (order.pk, True, "34.90")
