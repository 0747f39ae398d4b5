"""Carts: adding, limits, bad input that changes nothing, merging at login, expiry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core.errors import ApplicationError
from apps.orders import selectors, services
from apps.orders.models import Cart, CartLine, StockHold
from tests.catalog.factories import make_product
from tests.factories import TenantFactory, UserFactory
from tests.orders.conftest import make_variant, ready_cart

pytestmark = pytest.mark.django_db


def test_add_merge_quantities_and_review(tenant, shop):
    item = make_variant(tenant, price="7.50", stock=10)
    cart = services.create_cart(tenant=tenant)
    services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity="2")
    services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=3)
    review = selectors.review_cart(tenant=tenant, cart=cart)
    assert review.item_count == 5 and review.totals.subtotal == Decimal("37.50") and not review.has_problems
    line = cart.lines.get()
    services.update_cart_line(tenant=tenant, cart=cart, line_id=line.pk, quantity=1)
    assert selectors.count_cart_items(tenant=tenant, cart_id=cart.pk) == 1
    services.remove_cart_line(tenant=tenant, cart=cart, line_id=line.pk)
    assert not cart.lines.exists()


@pytest.mark.parametrize("quantity", [0, -1, 10**9, "abc", "1.5", "", None, True, "9" * 40])
def test_bad_quantities_change_nothing(tenant, shop, quantity):
    item = make_variant(tenant)
    cart = services.create_cart(tenant=tenant)
    with pytest.raises(ApplicationError) as err:
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=quantity)
    assert err.value.status == 400 and "quantity" in err.value.details
    assert not CartLine.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize("which", ["another shop's", "a draft's", "an unknown id", "not an id"])
def test_variants_not_for_sale_are_refused_alike(tenant, shop, which):
    variant_id = {
        "another shop's": lambda: make_product(TenantFactory(), name="Foreign").variants.get().pk,
        "a draft's": lambda: make_product(tenant, name="Draft", status="draft").variants.get().pk,
        "an unknown id": lambda: 987654321,
        "not an id": lambda: "abc",
    }[which]()
    cart = services.create_cart(tenant=tenant)
    with pytest.raises(ApplicationError) as err:
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=variant_id, quantity=1)
    assert err.value.details == {"variant_id": ["This product is not for sale in this shop."]}
    assert not CartLine.objects.for_tenant(tenant).exists()


def test_stock_and_limits(tenant, shop):
    item = make_variant(tenant, stock=3)
    cart = services.create_cart(tenant=tenant)
    with pytest.raises(ApplicationError) as err:
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=4)
    assert err.value.code == "out_of_stock" and err.value.details["available"] == 3
    services.update_selling_settings(tenant=tenant, data={"max_line_quantity": "2", "max_cart_lines": "1"})
    services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=2)
    with pytest.raises(ApplicationError) as err:
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=1)
    assert err.value.code == "cart_limit"
    with pytest.raises(ApplicationError) as err:
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=make_variant(tenant, name="Other").pk, quantity=1)
    assert err.value.code == "cart_limit"


def test_login_merges_the_anonymous_cart_capped_at_availability(tenant, shop):
    user = UserFactory()
    scarce = make_variant(tenant, stock=3, name="Scarce")
    plenty = make_variant(tenant, stock=50, name="Plenty")
    mine = services.create_cart(tenant=tenant, user=user)
    services.add_to_cart(tenant=tenant, cart=mine, variant_id=scarce.pk, quantity=2)
    anonymous = services.create_cart(tenant=tenant)
    services.add_to_cart(tenant=tenant, cart=anonymous, variant_id=scarce.pk, quantity=2)
    services.add_to_cart(tenant=tenant, cart=anonymous, variant_id=plenty.pk, quantity=4)

    result = services.attach_cart_to_user(tenant=tenant, cart=anonymous, user=user)

    assert result.cart.pk == mine.pk and not Cart.objects.for_tenant(tenant).filter(pk=anonymous.pk).exists()
    assert dict(mine.lines.values_list("variant_id", "quantity")) == {scarce.pk: 3, plenty.pk: 4}
    assert any("only 3 available" in m for m in result.messages) and any("Plenty (4)" in m for m in result.messages)


def test_login_without_a_cart_adopts_the_anonymous_one(tenant, shop):
    user = UserFactory()
    anonymous = services.create_cart(tenant=tenant)
    result = services.attach_cart_to_user(tenant=tenant, cart=anonymous, user=user)
    assert result.cart.pk == anonymous.pk and Cart.objects.for_tenant(tenant).get(pk=anonymous.pk).user == user


def test_changing_lines_drops_the_carts_holds(tenant, shop):
    item = make_variant(tenant, stock=5)
    cart = ready_cart(tenant, shop, [(item, 1)])
    services.hold_cart_stock(tenant=tenant, cart=cart)
    assert selectors.review_cart(tenant=tenant, cart=cart).hold_expires_at is not None
    services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=1)
    assert not StockHold.objects.for_tenant(tenant).exists()


def test_expiry_job(tenant, shop):
    now = timezone.now()
    item = make_variant(tenant)
    old_anonymous = services.create_cart(tenant=tenant)
    services.add_to_cart(tenant=tenant, cart=old_anonymous, variant_id=item.pk, quantity=1)
    recent_user = services.create_cart(tenant=tenant, user=UserFactory())
    services.add_to_cart(tenant=tenant, cart=recent_user, variant_id=item.pk, quantity=1)
    empty = services.create_cart(tenant=tenant)
    fresh_empty = services.create_cart(tenant=tenant)
    Cart.objects.for_tenant(tenant).filter(pk=old_anonymous.pk).update(updated_at=now - timedelta(days=31))
    Cart.objects.for_tenant(tenant).filter(pk=recent_user.pk).update(updated_at=now - timedelta(days=31))
    Cart.objects.for_tenant(tenant).filter(pk=empty.pk).update(updated_at=now - timedelta(hours=7))
    StockHold.objects.create(tenant=tenant, cart=recent_user, variant=item, quantity=1, expires_at=now - timedelta(1))

    result = services.expire_carts(now=now)

    assert result.carts == 2 and result.holds == 1
    assert set(Cart.objects.for_tenant(tenant).values_list("pk", flat=True)) == {recent_user.pk, fresh_empty.pk}


def test_a_signed_in_shoppers_cart_goes_after_90_days(tenant, shop):
    now = timezone.now()
    item = make_variant(tenant)
    kept, gone = (services.create_cart(tenant=tenant, user=UserFactory()) for _ in range(2))
    for cart in (kept, gone):
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=1)
    Cart.objects.for_tenant(tenant).filter(pk=kept.pk).update(updated_at=now - timedelta(days=89))
    Cart.objects.for_tenant(tenant).filter(pk=gone.pk).update(updated_at=now - timedelta(days=91))
    assert services.expire_carts(now=now).carts == 1
    assert list(Cart.objects.for_tenant(tenant).values_list("pk", flat=True)) == [kept.pk]


def test_the_default_limits_are_50_per_line_and_100_lines(tenant, shop):
    cart = services.create_cart(tenant=tenant)
    item = make_variant(tenant, stock=500)
    services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=50)
    with pytest.raises(ApplicationError) as err:
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=1)
    assert err.value.code == "cart_limit"
    settings_row = selectors.get_selling_settings(tenant=tenant)  # the line-count limit is exercised above at 1
    assert (settings_row.max_line_quantity, settings_row.max_cart_lines) == (50, 100)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "US"}, "country"),  # no zone covers it
        ({"country": "XX"}, "country"),
        ({"city": ""}, "city"),
        ({"postal_code": "9" * 30}, "postal_code"),
        ({"evil": "x"}, "non_field_errors"),
    ],
)
def test_a_bad_address_is_refused_by_field(tenant, shop, change, field):
    cart = services.create_cart(tenant=tenant)
    with pytest.raises(ApplicationError) as err:
        services.set_shipping_address(tenant=tenant, cart=cart, address={**_address(), **change})
    assert err.value.code == "invalid_address" and field in err.value.details
    cart.refresh_from_db()
    assert cart.shipping_address == {}


def test_checkout_address_validation(tenant, shop):
    cart = services.create_cart(tenant=tenant)
    with pytest.raises(ApplicationError) as err:
        services.set_shipping_address(tenant=tenant, cart=cart, address="nope")
    assert err.value.code == "invalid_address"
    cart.refresh_from_db()
    assert cart.shipping_address == {}


def test_shipping_quotes_flat_free_over_and_weight(tenant, shop):
    heavy_method = services.create_shipping_method(
        tenant=tenant, zone_id=shop.zone_id, data={"name": "Freight", "price": "25", "min_weight_grams": "5000"}
    )
    item = make_variant(tenant, price="60.00", stock=10)
    cart = ready_cart(tenant, shop, [(item, 1)])
    quotes = {q.name: q.price for q in services.quotes_for_cart(tenant=tenant, cart=cart)}
    assert quotes == {"Standard": Decimal("4.90")}  # freight is for 5 kg and more; the item weighs nothing
    services.add_to_cart(tenant=tenant, cart=cart, variant_id=item.pk, quantity=1)
    assert {q.name: q.price for q in services.quotes_for_cart(tenant=tenant, cart=cart)} == {
        "Standard": Decimal("0.00")
    }
    with pytest.raises(ApplicationError) as err:
        services.set_shipping_method(tenant=tenant, cart=cart, method_id=heavy_method.pk)
    assert err.value.code == "shipping_unavailable"


def _address():
    from tests.orders.conftest import ADDRESS

    return dict(ADDRESS)
