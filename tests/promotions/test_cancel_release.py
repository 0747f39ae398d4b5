"""A cancelled order gives back its voucher use, in the cancelling transaction, once: a 1-use code
can be used again by another order, a once-per-customer code again by the same email; a partial
cancel (the unshipped rest) keeps the use; cancels at once, and releases at once without the
order's lock (threads on the real PostgreSQL, each its own connection), lower the counter once.
These fail without ``release_voucher_redemption`` (the use stays taken: ``voucher_used_up`` /
``voucher_already_used``) and, for the bare releases, if the counter were lowered by every call
rather than only by the one whose DELETE removed the row (two uses would drop to 0, not 1)."""

from __future__ import annotations

import pytest

from apps.orders import services as order_services
from apps.orders.models import Order, OrderEvent, OrderLine
from apps.promotions import services as promotions_services
from apps.promotions.models import Voucher, VoucherRedemption
from tests.concurrency import run_at_once
from tests.promotions.conftest import make_variant, make_voucher, ready_cart, setup_shop

pytestmark = pytest.mark.django_db(transaction=True)


_names = iter(range(10**6))


def _place_with(tenant, method, code, *, email, item=None, quantity=1):
    item = item or make_variant(tenant, price="20.00", stock=50, name=f"Mug {next(_names)}")
    cart = ready_cart(tenant, method, [(item, quantity)], email=email)
    order_services.apply_voucher_code(tenant=tenant, cart=cart, code=code)
    return order_services.place_order(tenant=tenant, cart=cart).order


def _used(voucher):
    return Voucher.objects.for_tenant(voucher.tenant_id).get(pk=voucher.pk).used_count


def test_a_one_use_code_used_then_cancelled_can_be_used_by_another_order(tenant):
    method = setup_shop(tenant)
    voucher = make_voucher(tenant, code="ONEUSE", usage_limit=1)
    first = _place_with(tenant, method, "ONEUSE", email="a@example.com")
    blocked = ready_cart(tenant, method, [(make_variant(tenant, price="20.00", name="Cup"), 1)], email="b@example.com")
    with pytest.raises(Exception) as used_up:
        order_services.apply_voucher_code(tenant=tenant, cart=blocked, code="ONEUSE")
    assert used_up.value.code == "voucher_used_up"

    order_services.cancel_order(tenant=tenant, order_id=first.pk)

    assert _used(voucher) == 0 and not VoucherRedemption.objects.for_tenant(tenant).exists()
    (event,) = OrderEvent.objects.for_tenant(tenant).filter(order=first, kind="voucher_released")
    assert event.data == {"code": "ONEUSE", "discount": "2.00"}
    second = _place_with(tenant, method, "ONEUSE", email="b@example.com")
    assert second.voucher_code == "ONEUSE" and _used(voucher) == 1
    assert list(VoucherRedemption.objects.for_tenant(tenant).values_list("order_id", flat=True)) == [second.pk]


def test_a_once_per_customer_code_can_be_used_again_by_that_email_after_a_cancel(tenant):
    method = setup_shop(tenant)
    voucher = make_voucher(tenant, code="WELCOME", once_per_customer=True)
    first = _place_with(tenant, method, "WELCOME", email="ada@example.com")

    order_services.cancel_order(tenant=tenant, order_id=first.pk)
    again = _place_with(tenant, method, "WELCOME", email="ADA@example.com")

    assert again.voucher_code == "WELCOME" and _used(voucher) == 1


def test_a_partial_cancel_keeps_the_use(tenant):
    method = setup_shop(tenant)
    voucher = make_voucher(tenant, code="HALF", usage_limit=5)
    order = _place_with(tenant, method, "HALF", email="a@example.com", quantity=2)
    line = OrderLine.objects.for_tenant(tenant).get(order=order)
    order_services.fulfil_order_lines(tenant=tenant, order_id=order.pk, lines=[{"line_id": line.pk, "quantity": 1}])

    order_services.cancel_order(tenant=tenant, order_id=order.pk)

    assert _used(voucher) == 1 and VoucherRedemption.objects.for_tenant(tenant).filter(order_id=order.pk).exists()
    assert not OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="voucher_released").exists()


def test_cancels_at_once_release_the_use_once(tenant):
    method = setup_shop(tenant)
    voucher = make_voucher(tenant, code="TWICE", usage_limit=2)
    order = _place_with(tenant, method, "TWICE", email="a@example.com")
    _place_with(tenant, method, "TWICE", email="b@example.com")
    assert _used(voucher) == 2

    results = run_at_once([lambda: order_services.cancel_order(tenant=tenant, order_id=order.pk) for _ in range(4)])

    assert all(isinstance(r, Order) and r.status == "cancelled" for r in results)
    assert _used(voucher) == 1  # one use given back, the other order's kept
    assert OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="voucher_released").count() == 1


def test_releases_at_once_without_the_order_lock_lower_the_counter_once(tenant):
    """The promotions service by itself (no order row lock around it) is safe to race."""
    method = setup_shop(tenant)
    voucher = make_voucher(tenant, code="RACE", usage_limit=3)
    order = _place_with(tenant, method, "RACE", email="a@example.com")
    _place_with(tenant, method, "RACE", email="b@example.com")

    results = run_at_once(
        [lambda: promotions_services.release_voucher_redemption(tenant=tenant, order_id=order.pk) for _ in range(4)]
    )

    assert len([r for r in results if r is not None]) == 1
    assert _used(voucher) == 1 and VoucherRedemption.objects.for_tenant(tenant).count() == 1
