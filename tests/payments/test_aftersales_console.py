"""The console's money side of after-sales, by role: only admins and owners refund or record
returns; a return can refund its units in the same step; a refund above what is left is refused
with the amount that is left, and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.catalog.models import Variant
from apps.orders import services as order_services
from apps.payments import services
from apps.payments.models import Payment, Refund
from tests.payments.conftest import make_variant, place

pytestmark = pytest.mark.django_db


def a(tenant, path):
    return f"/a/{tenant.slug}/orders/{path}"


def test_returns_with_refund_and_refund_limits_in_the_console(client, tenant, shop, make_member):
    owner, editor, admin = (make_member(tenant, role=r) for r in ("owner", "editor", "admin"))
    mug = make_variant(tenant, price="12.00", stock=5)
    order, _ = place(tenant, shop, [(mug, 2)])
    services.mark_paid(tenant=tenant, order_id=order.pk, actor=owner)
    line = order.lines.get()
    order_services.fulfil_order_lines(tenant=tenant, order_id=order.pk)

    client.force_login(editor)
    assert client.post(a(tenant, f"{order.number}/refund"), {"amount": "1.00"}).status_code == 403
    assert client.post(a(tenant, f"{order.number}/return"), {f"ret-{line.pk}": "1"}).status_code == 403

    client.force_login(admin)
    page = client.get(a(tenant, f"{order.number}/")).content.decode()
    assert "Record a return" in page and 'id="refundable"' in page
    response = client.post(
        a(tenant, f"{order.number}/return"), {f"ret-{line.pk}": "1", "restock": "on", "refund": "on"}, follow=True
    )
    assert "Return recorded" in response.content.decode() and "Refunded" in response.content.decode()
    assert Variant.objects.for_tenant(tenant).get(pk=mug.pk).stock == 4  # 5 - 2 shipped + 1 back
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("12.00"))

    too_much = client.post(a(tenant, f"{order.number}/refund"), {"amount": "20.00"}, follow=True).content.decode()
    assert "At most 16.90" in too_much
    assert Refund.objects.for_tenant(tenant).count() == 1
