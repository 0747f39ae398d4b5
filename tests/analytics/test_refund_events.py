"""A real refund (payments' manual refund of a bank-transfer order, through orders' refund_order)
takes its amount off the dashboard's revenue once; an order placed and refunded in one range nets
out. Committed transactions (no test transaction), so the outbox runs as in production."""

from decimal import Decimal

import pytest

from apps.analytics import buffer, commerce, rollups, selectors
from apps.analytics.models import Event
from apps.orders import services as order_services
from apps.payments import services as payment_services
from tests.payments.conftest import make_variant, place, shop  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_refund_through_payments_reduces_revenue_once(tenant, shop, make_member):  # noqa: F811
    owner = make_member(tenant, role="owner")
    order, _ = place(tenant, shop, [(make_variant(tenant, price="30.00"), 3)])  # 90.00 + 4.90 shipping
    payment_services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)
    order_services.refund_order(tenant=tenant, order_id=order.pk, amount="40.00", actor=owner)
    order_services.refund_order(tenant=tenant, order_id=order.pk, amount="4.90", actor=owner)

    assert buffer.drain(consumer="t").inserted == 3  # one purchase, two refunds
    types = sorted(Event.objects.filter(tenant_id=tenant.pk).values_list("type", flat=True))
    assert types == ["purchase", "refund", "refund"]
    rollups.rebuild_dirty()
    today = selectors.resolve_range(tenant=tenant, period="today")
    totals = commerce.commerce_totals(tenant=tenant, rng=today)
    # 94.90 placed - (40.00 + 4.90) refunded = 50.00 over one order
    assert totals["revenue"] == Decimal("50.00") and totals["refunds"] == Decimal("44.90")
    assert totals["orders"] == 1 and totals["average_order_value"] == Decimal("50.00")
