"""Vouchers on a cart and an order: case-insensitive codes, the discount per line and in the
totals (tax after the discount), every reason a code does not apply, and placing re-checking it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.errors import ApplicationError
from apps.orders import selectors as order_selectors
from apps.orders import services as order_services
from apps.orders.models import Cart, Order
from apps.promotions import services
from apps.promotions.models import Voucher, VoucherRedemption
from tests.catalog.factories import make_category, make_product
from tests.promotions.conftest import make_variant, make_voucher, ready_cart

pytestmark = pytest.mark.django_db


def _apply(tenant, cart, code):
    order_services.apply_voucher_code(tenant=tenant, cart=cart, code=code)
    cart.refresh_from_db()
    return order_selectors.review_cart(tenant=tenant, cart=cart)


def test_a_code_in_any_case_discounts_each_line_and_the_total(tenant, shop):
    make_voucher(tenant, code="Save10", value="10")
    a, b = make_variant(tenant, price="10.00", name="A"), make_variant(tenant, price="25.00", name="B")
    cart = ready_cart(tenant, shop, [(a, 1), (b, 2)])  # 10 + 50 = 60.00

    review = _apply(tenant, cart, "  sAVE10 ")

    assert review.voucher_code == "Save10" and review.voucher_problem is None
    assert [line.discount for line in review.lines] == [Decimal("1.00"), Decimal("5.00")]
    assert [line.amounts.total for line in review.lines] == [Decimal("9.00"), Decimal("45.00")]
    totals = review.totals
    assert totals.subtotal == Decimal("60.00") and totals.discount_total == Decimal("6.00")
    assert totals.total == Decimal("58.90")  # 54.00 + 4.90 shipping
    assert totals.tax_total == sum((line.amounts.tax for line in review.lines), Decimal(0)) + totals.shipping.tax

    order = order_services.place_order(tenant=tenant, cart=cart).order
    lines = list(order.lines.order_by("id"))
    assert (order.voucher_code, order.discount_total, order.total) == ("Save10", Decimal("6.00"), Decimal("58.90"))
    assert [line.discount for line in lines] == [Decimal("1.00"), Decimal("5.00")]
    assert [line.total for line in lines] == [Decimal("9.00"), Decimal("45.00")]
    assert lines[1].tax == Decimal("7.50") and lines[1].net == Decimal("37.50")  # 20 % VAT in 45.00
    assert order.total == order.net_total + order.tax_total
    assert order.events.get(kind="placed").data["voucher"] == "Save10"
    redemption = VoucherRedemption.objects.for_tenant(tenant).get()
    assert (redemption.order_id, redemption.email, redemption.discount) == (order.pk, "ada@example.com", Decimal("6"))
    assert Voucher.objects.for_tenant(tenant).get().used_count == 1


def test_a_fixed_amount_only_on_a_category_and_free_shipping(tenant, shop):
    shoes = make_category(tenant, "Shoes")
    shoe = make_product(tenant, "Shoe", category=make_category(tenant, "Trail", parent=shoes), price="30.00")
    mug = make_variant(tenant, price="10.00")
    make_voucher(tenant, code="SHOES5", kind="fixed", value="5", categories=[shoes.pk])
    cart = ready_cart(tenant, shop, [(shoe.variants.get(), 1), (mug, 1)])
    review = _apply(tenant, cart, "shoes5")
    assert [line.discount for line in review.lines] == [Decimal("5.00"), Decimal("0.00")]

    make_voucher(tenant, code="SHIPFREE", kind="free_shipping")
    review = _apply(tenant, cart, "SHIPFREE")  # replaces the first code
    assert review.voucher_code == "SHIPFREE" and review.totals.shipping.total == Decimal("0.00")
    assert review.totals.discount_total == Decimal("4.90") and review.totals.total == Decimal("40.00")
    order = order_services.place_order(tenant=tenant, cart=cart).order
    assert (order.shipping_price, order.shipping_discount, order.total) == (
        Decimal("4.90"),
        Decimal("4.90"),
        Decimal("40.00"),
    )


@pytest.mark.parametrize(
    ("fields", "code", "status"),
    [
        ({"ends_at": (timezone.now() - timedelta(days=1)).isoformat()}, "voucher_expired", 409),
        ({"starts_at": (timezone.now() + timedelta(days=1)).isoformat()}, "voucher_not_started", 409),
        ({"min_subtotal": "100"}, "voucher_below_minimum", 409),
        ({"is_active": False}, "voucher_invalid", 400),
    ],
)
def test_each_reason_is_told_and_the_cart_is_unchanged(tenant, shop, fields, code, status):
    make_voucher(tenant, code="NOPE", **fields)
    cart = ready_cart(tenant, shop, [(make_variant(tenant), 1)])
    with pytest.raises(ApplicationError) as err:
        order_services.apply_voucher_code(tenant=tenant, cart=cart, code="nope")
    assert (err.value.code, err.value.status) == (code, status)
    assert Cart.objects.for_tenant(tenant).get(pk=cart.pk).voucher_id is None


@pytest.mark.parametrize(
    ("which", "entered", "expected"),
    [
        ("second", "WHAT", "voucher_invalid"),
        ("second", "oneuse", "voucher_used_up"),
        ("second", "onlyother", "voucher_not_applicable"),
        ("third", "mine", "voucher_already_used"),
    ],
    ids=["unknown", "used-up", "not-for-these-products", "already-used-by-this-customer"],
)
def test_unknown_used_up_already_used_and_not_for_these_products(tenant, shop, which, entered, expected):
    item = make_variant(tenant, price="20.00")
    other = make_product(tenant, "Other")
    make_voucher(tenant, code="ONLYOTHER", products=[str(other.pk)])
    make_voucher(tenant, code="ONEUSE", usage_limit=1)
    make_voucher(tenant, code="MINE", once_per_customer=True)
    first = ready_cart(tenant, shop, [(item, 1)])
    for code in ("ONEUSE",):
        order_services.apply_voucher_code(tenant=tenant, cart=first, code=code)
    order_services.place_order(tenant=tenant, cart=first)
    second = ready_cart(tenant, shop, [(item, 1)], email="ADA@example.com")
    mine = ready_cart(tenant, shop, [(item, 1)], email="grace@example.com")
    order_services.apply_voucher_code(tenant=tenant, cart=mine, code="MINE")
    order_services.place_order(tenant=tenant, cart=mine)
    third = ready_cart(tenant, shop, [(item, 1)], email="Grace@Example.com")

    cart = {"second": second, "third": third}[which]
    with pytest.raises(ApplicationError) as err:
        order_services.apply_voucher_code(tenant=tenant, cart=cart, code=entered)
    assert err.value.code == expected, entered


def test_placing_rechecks_the_code_and_writes_nothing_when_it_no_longer_applies(tenant, shop):
    voucher = make_voucher(tenant, code="SOON")
    cart = ready_cart(tenant, shop, [(make_variant(tenant), 1)])
    order_services.apply_voucher_code(tenant=tenant, cart=cart, code="SOON")
    Voucher.objects.for_tenant(tenant).filter(pk=voucher.pk).update(ends_at=timezone.now())  # expires now

    cart.refresh_from_db()
    review = order_selectors.review_cart(tenant=tenant, cart=cart)
    assert review.voucher_problem.code == "voucher_expired" and review.totals.discount_total == 0
    with pytest.raises(ApplicationError) as err:
        order_services.place_order(tenant=tenant, cart=cart)
    assert err.value.code == "voucher_expired"
    assert not Order.objects.for_tenant(tenant).exists() and not VoucherRedemption.objects.for_tenant(tenant).exists()
    order_services.remove_voucher_code(tenant=tenant, cart=cart)
    assert order_services.place_order(tenant=tenant, cart=cart).order.discount_total == 0


def test_codes_are_unique_per_shop_whatever_the_case(tenant):
    from tests.factories import TenantFactory

    make_voucher(tenant, code="WINTER")
    with pytest.raises(ApplicationError) as err:
        make_voucher(tenant, code="winter")
    assert err.value.status == 409 and "code" in err.value.details
    make_voucher(TenantFactory(), code="winter")  # another shop may have it


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "a"}, "code"),
        ({"code": "has space"}, "code"),
        ({"kind": "bogo"}, "kind"),
        ({"value": "101"}, "value"),
        ({"value": "abc"}, "value"),
        ({"kind": "fixed", "value": "0"}, "value"),
        ({"usage_limit": "0"}, "usage_limit"),
        ({"usage_limit": "-3"}, "usage_limit"),
        ({"starts_at": "2026-12-02T00:00", "ends_at": "2026-12-01T00:00"}, "ends_at"),
        ({"products": ["NOPE-SKU"]}, "products"),
        ({"categories": [987654]}, "categories"),
        ({"min_subtotal": "-1"}, "min_subtotal"),
    ],
)
def test_bad_voucher_input_names_the_field_and_writes_nothing(tenant, data, field):
    with pytest.raises(ApplicationError) as err:
        services.create_voucher(tenant=tenant, data={"code": "GOOD1", "kind": "percentage", "value": "10", **data})
    assert err.value.code == "validation_error" and field in err.value.details
    assert not Voucher.objects.for_tenant(tenant).exists()


def test_a_usage_limit_cannot_go_below_the_uses_and_a_used_voucher_is_only_deactivated(tenant, shop):
    voucher = make_voucher(tenant, code="USED")
    cart = ready_cart(tenant, shop, [(make_variant(tenant), 1)])
    order_services.apply_voucher_code(tenant=tenant, cart=cart, code="USED")
    order_services.place_order(tenant=tenant, cart=cart)
    voucher.refresh_from_db()
    data = {"code": "USED", "kind": "percentage", "value": "10"}
    with pytest.raises(ApplicationError) as err:
        services.update_voucher(tenant=tenant, voucher=voucher, data={**data, "usage_limit": "0"})
    assert err.value.code == "validation_error"
    services.update_voucher(tenant=tenant, voucher=voucher, data={**data, "usage_limit": "1"})  # == uses: fine
    services.delete_voucher(tenant=tenant, voucher=voucher)
    assert Voucher.objects.for_tenant(tenant).get(pk=voucher.pk).is_active is False
    unused = make_voucher(tenant, code="UNUSED")
    services.delete_voucher(tenant=tenant, voucher=unused)
    assert not Voucher.objects.for_tenant(tenant).filter(pk=unused.pk).exists()


def test_another_shops_code_is_unknown_here_and_a_limit_cannot_drop_below_the_uses(tenant, shop):
    from tests.factories import TenantFactory

    make_voucher(TenantFactory(), code="THEIRS")
    cart = ready_cart(tenant, shop, [(make_variant(tenant, stock=10), 1)])
    with pytest.raises(ApplicationError) as err:
        order_services.apply_voucher_code(tenant=tenant, cart=cart, code="THEIRS")
    assert err.value.code == "voucher_invalid"

    voucher = make_voucher(tenant, code="TWICE")
    for email in ("a@example.com", "b@example.com"):
        placed = ready_cart(tenant, shop, [(make_variant(tenant, name=email), 1)], email=email)
        order_services.apply_voucher_code(tenant=tenant, cart=placed, code="TWICE")
        order_services.place_order(tenant=tenant, cart=placed)
    with pytest.raises(ApplicationError) as err:
        services.update_voucher(
            tenant=tenant,
            voucher=voucher,
            data={"code": "TWICE", "kind": "percentage", "value": "10", "usage_limit": 1},
        )
    assert err.value.status == 409 and "usage_limit" in err.value.details
    assert Voucher.objects.for_tenant(tenant).get(pk=voucher.pk).usage_limit is None
