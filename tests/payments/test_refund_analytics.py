"""A real refund (payments -> orders' record_refund) tells analytics through orders' ``order_refunded``
hook, in the refund's own transaction: one ``analytics.record_refund`` outbox row per refund."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.core.errors import ApplicationError
from apps.core.models import OutboxMessage
from apps.orders import services as order_services
from apps.orders.models import Order
from apps.payments import services
from tests.payments.conftest import make_variant, place


@pytest.mark.django_db
def test_a_manual_refund_schedules_exactly_one_analytics_refund(tenant, shop, make_member):
    owner = make_member(tenant, role="owner")
    order, _ = place(tenant, shop, [(make_variant(tenant, price="20.00"), 1)])
    services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)
    order = Order.objects.for_tenant(tenant).get(pk=order.pk)
    order_services.refund_order(tenant=tenant, order_id=order.pk, amount="7.50", actor=owner)

    rows = OutboxMessage.objects.filter(task_name="analytics.record_refund")
    assert rows.count() == 1
    kwargs = rows.get().kwargs
    assert (kwargs["tenant_id"], kwargs["order_id"]) == (tenant.pk, order.pk)
    assert Decimal(kwargs["amount"]) == Decimal("7.50")


@pytest.mark.django_db
def test_a_refused_refund_schedules_nothing(tenant, shop, make_member):
    owner = make_member(tenant, role="owner")
    order, _ = place(tenant, shop, [(make_variant(tenant, price="20.00"), 1)])
    services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)
    with pytest.raises(ApplicationError) as caught:
        order_services.refund_order(tenant=tenant, order_id=order.pk, amount="999.00", actor=owner)
    assert caught.value.code == "refund_exceeds_charge"
    assert not OutboxMessage.objects.filter(task_name="analytics.record_refund").exists()
