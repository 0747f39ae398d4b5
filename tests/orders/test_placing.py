"""Placing orders: totals, copies of the lines, allocation, idempotency, errors that change nothing."""

from decimal import Decimal

import pytest

from apps.catalog import services as catalog_services
from apps.catalog.models import Variant
from apps.core.errors import ApplicationError
from apps.orders import selectors, services
from apps.orders.models import CartStatus, Order, OrderEvent
from tests.orders.conftest import STARTED, make_variant, ready_cart

pytestmark = pytest.mark.django_db


def test_place_order_copies_lines_allocates_and_numbers(tenant, shop):
    mug = make_variant(tenant, price="12.50", stock=5)
    cup = make_variant(tenant, price="3.33", stock=9, name="Cup")
    cart = ready_cart(tenant, shop, [(mug, 2), (cup, 3)])

    placed = services.place_order(tenant=tenant, cart=cart)

    order = placed.order
    assert placed.created and order.number == 1 and order.status == "unfulfilled" and order.payment_status == "unpaid"
    assert order.subtotal == Decimal("34.99") and order.shipping_price == Decimal("4.90")
    assert order.total == Decimal("39.89")  # prices include tax: the shopper pays lines + shipping
    assert order.total == order.net_total + order.tax_total
    lines = list(order.lines.order_by("id"))
    assert [(x.sku, x.quantity, x.unit_price, x.total) for x in lines] == [
        (mug.sku, 2, Decimal("12.50"), Decimal("25.00")),
        (cup.sku, 3, Decimal("3.33"), Decimal("9.99")),
    ]
    assert lines[0].tax == Decimal("4.17") and lines[0].product_name == "Mug"  # 25.00 * 0.2 / 1.2 = 4.1666..
    assert Variant.objects.for_tenant(tenant).get(pk=mug.pk).allocated == 2
    cart.refresh_from_db()
    assert cart.status == CartStatus.ORDERED
    assert OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="placed").count() == 1
    # a later catalog edit never changes the order
    catalog_services.update_variant(tenant=tenant, variant=mug, data={"price": "99.00"})
    assert order.lines.get(sku=mug.sku).unit_price == Decimal("12.50")
    # numbers are per tenant and sequential
    second = services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(cup, 1)])).order
    assert second.number == 2


def test_prices_excluding_tax_add_the_tax(tenant):
    from tests.orders.conftest import setup_shop

    method = setup_shop(tenant, rate="0.0825", prices_include_tax=False)
    item = make_variant(tenant, price="19.99", stock=3)
    order = services.place_order(tenant=tenant, cart=ready_cart(tenant, method, [(item, 3)])).order
    # 59.97 * 0.0825 = 4.947525 -> 4.95 ; shipping 4.90 * 0.0825 = 0.40425 -> 0.40
    assert order.tax_total == Decimal("5.35") and order.total == Decimal("59.97") + Decimal("4.90") + Decimal("5.35")


def test_place_twice_returns_the_same_order_and_payment_step(tenant, shop):
    item = make_variant(tenant)
    cart = ready_cart(tenant, shop, [(item, 1)])
    first = services.place_order(tenant=tenant, cart=cart, idempotency_key="key-1")
    step = services.start_payment(tenant=tenant, order=first.order)
    again = services.place_order(tenant=tenant, cart=cart, idempotency_key="key-1")
    other_key = services.place_order(tenant=tenant, cart=cart)
    assert not again.created and again.order.pk == first.order.pk == other_key.order.pk
    assert services.start_payment(tenant=tenant, order=again.order) == step
    assert [first.order.pk] == STARTED  # the provider was asked once; the retry replayed the answer
    assert Order.objects.for_tenant(tenant).count() == 1
    assert Variant.objects.for_tenant(tenant).get(pk=item.pk).allocated == 1


def test_a_key_used_for_another_cart_is_refused(tenant, shop):
    item = make_variant(tenant)
    services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(item, 1)]), idempotency_key="k")
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(item, 1)]), idempotency_key="k")
    assert err.value.code == "idempotency_key_reused" and err.value.status == 409


@pytest.mark.parametrize("key", ["has space", "x" * 256, "é"])
def test_bad_idempotency_keys(tenant, shop, key):
    cart = ready_cart(tenant, shop, [(make_variant(tenant), 1)])
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=cart, idempotency_key=key)
    assert err.value.status == 400 and not Order.objects.for_tenant(tenant).exists()


def test_price_change_must_be_accepted(tenant, shop):
    item = make_variant(tenant, price="10.00")
    cart = ready_cart(tenant, shop, [(item, 2)])
    catalog_services.update_variant(tenant=tenant, variant=item, data={"price": "11.00"})

    review = selectors.review_cart(tenant=tenant, cart=cart)
    assert review.lines[0].problems == ["price_changed"] and review.lines[0].current_price == Decimal("11.00")
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=cart)
    assert err.value.code == "price_changed" and err.value.status == 409
    assert err.value.details["lines"][0]["current_price"] == "11.00"
    assert not Order.objects.for_tenant(tenant).exists()
    assert Variant.objects.for_tenant(tenant).get(pk=item.pk).allocated == 0

    assert services.accept_cart_prices(tenant=tenant, cart=cart) == 1
    order = services.place_order(tenant=tenant, cart=cart).order
    assert order.subtotal == Decimal("22.00")


def test_out_of_stock_names_the_lines_and_changes_nothing(tenant, shop):
    a = make_variant(tenant, stock=2)
    b = make_variant(tenant, stock=5, name="Cup")
    cart = ready_cart(tenant, shop, [(a, 2), (b, 1)])
    Variant.objects.for_tenant(tenant).filter(pk=a.pk).update(stock=1)
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=cart)
    assert err.value.code == "out_of_stock" and err.value.status == 409
    assert err.value.details["lines"] == [
        {"line_id": cart.lines.get(variant=a).pk, "variant_id": a.pk, "sku": a.sku, "requested": 2, "available": 1}
    ]
    assert list(Variant.objects.for_tenant(tenant).order_by("pk").values_list("allocated", flat=True)) == [0, 0]


def test_incomplete_checkout_and_empty_cart(tenant, shop):
    cart = services.create_cart(tenant=tenant)
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=cart)
    assert err.value.code == "cart_empty"
    services.add_to_cart(tenant=tenant, cart=cart, variant_id=make_variant(tenant).pk, quantity=1)
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=cart)
    assert err.value.code == "checkout_incomplete" and set(err.value.details) == {
        "email",
        "shipping_address",
        "shipping_method",
        "payment_method",
    }


def test_unpublished_product_blocks_placing(tenant, shop):
    item = make_variant(tenant)
    cart = ready_cart(tenant, shop, [(item, 1)])
    catalog_services.set_products_status(tenant=tenant, product_ids=[item.product_id], status="archived")
    assert selectors.review_cart(tenant=tenant, cart=cart).lines[0].problems == ["unavailable"]
    with pytest.raises(ApplicationError) as err:
        services.place_order(tenant=tenant, cart=cart)
    assert err.value.code == "product_unavailable"


def test_place_order_query_count_is_pinned(tenant, shop, django_assert_max_num_queries):
    items = [make_variant(tenant, name=f"Item {n}") for n in range(5)]
    cart = ready_cart(tenant, shop, [(item, 1) for item in items])
    with django_assert_max_num_queries(40):
        placed = services.place_order(tenant=tenant, cart=cart, idempotency_key="pin")
    assert placed.created and placed.order.lines.count() == 5


def test_cancel_releases_allocations_exactly_once(tenant, shop):
    item = make_variant(tenant, stock=3)
    order = services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(item, 2)])).order
    services.cancel_order(tenant=tenant, order_id=order.pk, reason="test")
    again = services.cancel_order(tenant=tenant, order_id=order.pk)
    assert again.status == "cancelled"
    assert Variant.objects.for_tenant(tenant).get(pk=item.pk).allocated == 0
    assert OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="cancelled").count() == 1


def test_fulfil_turns_allocations_into_stock_decrements(tenant, shop):
    item = make_variant(tenant, stock=3)
    order = services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(item, 2)])).order
    services.fulfil_order(tenant=tenant, order_id=order.pk)
    variant = Variant.objects.for_tenant(tenant).get(pk=item.pk)
    assert (variant.stock, variant.allocated) == (1, 0)
    with pytest.raises(ApplicationError) as err:
        services.cancel_order(tenant=tenant, order_id=order.pk)
    assert err.value.code == "invalid_transition"


def test_payment_status_moves_forward_only(tenant, shop):
    order = services.place_order(tenant=tenant, cart=ready_cart(tenant, shop, [(make_variant(tenant), 1)])).order
    services.record_payment_status(tenant=tenant, order_id=order.pk, status="paid", note="bank")
    late = services.record_payment_status(tenant=tenant, order_id=order.pk, status="authorised")
    duplicate = services.record_payment_status(tenant=tenant, order_id=order.pk, status="paid")
    assert late.payment_status == duplicate.payment_status == "paid"
    assert OrderEvent.objects.for_tenant(tenant).filter(order=order, kind="payment_status_changed").count() == 1
    refunded = services.record_payment_status(tenant=tenant, order_id=order.pk, status="refunded")
    assert refunded.payment_status == "refunded"
