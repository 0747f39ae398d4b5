"""Voucher limits under concurrency on the real PostgreSQL: threads with their own connections,
released together (``tests/orders/test_concurrency.run_at_once``).

These fail without the database's guards: without the voucher row lock and the CHECK
``used_count <= usage_limit`` every thread sees a free use and k+1 orders are placed; without the
partial UNIQUE (voucher, email) the same shopper uses a once-per-customer code twice.
"""

from __future__ import annotations

import pytest

from apps.orders import services as order_services
from apps.orders.models import Order
from apps.promotions.models import Voucher, VoucherRedemption
from tests.concurrency import run_at_once
from tests.promotions.conftest import make_variant, make_voucher, ready_cart, setup_shop

pytestmark = pytest.mark.django_db(transaction=True)


def _carts_with_code(tenant, method, code, emails):
    item = make_variant(tenant, price="20.00", stock=50)
    carts = []
    for email in emails:
        cart = ready_cart(tenant, method, [(item, 1)], email=email)
        order_services.apply_voucher_code(tenant=tenant, cart=cart, code=code)
        carts.append(cart)
    return carts


@pytest.mark.parametrize("limit", [1, 3])
def test_k_plus_one_parallel_uses_of_a_k_use_voucher_give_exactly_k_orders(tenant, limit):
    method = setup_shop(tenant)
    voucher = make_voucher(tenant, code="FEW", usage_limit=limit)
    carts = _carts_with_code(tenant, method, "few", [f"s{n}@example.com" for n in range(limit + 1)])

    results = run_at_once([lambda c=cart: order_services.place_order(tenant=tenant, cart=c) for cart in carts])

    placed = [r for r in results if not isinstance(r, str)]
    assert len(placed) == limit and results.count("voucher_used_up") == 1
    assert Order.objects.for_tenant(tenant).count() == limit
    assert Order.objects.for_tenant(tenant).filter(voucher_code="FEW", discount_total="2.00").count() == limit
    assert Voucher.objects.for_tenant(tenant).get(pk=voucher.pk).used_count == limit
    assert VoucherRedemption.objects.for_tenant(tenant).count() == limit


def test_once_per_customer_holds_for_the_same_email_at_once(tenant):
    method = setup_shop(tenant)
    voucher = make_voucher(tenant, code="WELCOME", once_per_customer=True)
    # The same person in four tabs/devices: four carts, one email in different cases.
    emails = ["ada@example.com", "ADA@example.com", "Ada@Example.com", "ada@EXAMPLE.COM"]
    carts = _carts_with_code(tenant, method, "WELCOME", emails)

    results = run_at_once([lambda c=cart: order_services.place_order(tenant=tenant, cart=c) for cart in carts])

    assert len([r for r in results if not isinstance(r, str)]) == 1
    assert results.count("voucher_already_used") == 3
    assert Order.objects.for_tenant(tenant).count() == 1
    assert VoucherRedemption.objects.for_tenant(tenant).filter(voucher=voucher).count() == 1
    assert Voucher.objects.for_tenant(tenant).get(pk=voucher.pk).used_count == 1


def test_a_failed_order_leaves_no_use(tenant):
    method = setup_shop(tenant)
    voucher = make_voucher(tenant, code="ONCE", usage_limit=1)
    last = make_variant(tenant, price="20.00", stock=1)
    first = ready_cart(tenant, method, [(last, 1)], email="a@example.com")
    second = ready_cart(tenant, method, [(last, 1)], email="b@example.com")
    for cart in (first, second):
        order_services.apply_voucher_code(tenant=tenant, cart=cart, code="ONCE")
    order_services.hold_cart_stock(tenant=tenant, cart=first)  # the second cannot get the unit

    results = run_at_once([lambda: order_services.place_order(tenant=tenant, cart=second)])

    assert results == ["out_of_stock"]
    assert Voucher.objects.for_tenant(tenant).get(pk=voucher.pk).used_count == 0
    assert not VoucherRedemption.objects.for_tenant(tenant).exists()
    assert order_services.place_order(tenant=tenant, cart=first).order.voucher_code == "ONCE"


def test_the_database_refuses_a_use_past_the_limit_even_without_the_checks(tenant):
    voucher = make_voucher(tenant, code="RAW", usage_limit=1)
    Voucher.objects.for_tenant(tenant).filter(pk=voucher.pk).update(used_count=1)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.for_tenant(tenant).filter(pk=voucher.pk).update(used_count=2)
