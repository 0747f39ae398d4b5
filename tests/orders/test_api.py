"""The orders API: carts by token, checkout, placing with Idempotency-Key, the error shape,
shoppers' and staff orders, and one shop's carts and orders never reaching another's."""

import uuid

import pytest
from rest_framework.test import APIClient

from apps.accounts.services import issue_tokens
from apps.catalog import services as catalog_services
from apps.orders import services
from apps.orders.models import Order
from tests.api_helpers import assert_error
from tests.factories import TenantFactory, UserFactory
from tests.orders.conftest import ADDRESS, TEST_METHOD, make_variant, ready_cart, setup_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def base(tenant):
    return f"/api/v1/t/{tenant.slug}"


def checkout_cart(api, tenant, method, variant, quantity=1):
    cart = api.post(f"{base(tenant)}/carts/").json()
    token = cart["token"]
    assert (
        api.post(
            f"{base(tenant)}/carts/{token}/lines/", {"variant_id": variant.pk, "quantity": quantity}, format="json"
        ).status_code
        == 201
    )
    response = api.patch(
        f"{base(tenant)}/carts/{token}/checkout/",
        {
            "email": "ada@example.com",
            "shipping_address": ADDRESS,
            "shipping_method": method.pk,
            "payment_method": TEST_METHOD.code,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    return token


def test_guest_buys_through_the_api(api, tenant, shop):
    item = make_variant(tenant, price="12.00", stock=3)
    token = checkout_cart(api, tenant, shop, item, 2)
    url = f"{base(tenant)}/carts/{token}"

    cart = api.get(f"{url}/").json()
    assert cart["totals"] == {
        "subtotal": "24.00",
        "discount": "0.00",
        "shipping": "4.90",
        "tax": "4.82",
        "total": "28.90",
    }
    assert cart["lines"][0]["amounts"] == {"total": "24.00", "tax": "4.00", "net": "20.00"}
    assert [m["name"] for m in api.get(f"{url}/shipping-methods/").json()] == ["Standard"]
    assert TEST_METHOD.code in [m["code"] for m in api.get(f"{url}/payment-methods/").json()]
    assert api.post(f"{url}/hold/").json()["expires_at"]

    first = api.post(f"{url}/order/", HTTP_IDEMPOTENCY_KEY="abc-123")
    again = api.post(f"{url}/order/", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    body = first.json()
    assert body["order"]["number"] == 1 and body["order"]["total"] == "28.90"
    assert body["payment"]["kind"] == "instructions" and "reference 1" in body["payment"]["message"]
    assert_error(api.post(f"{url}/lines/", {"variant_id": item.pk, "quantity": 1}, format="json"), 409, "cart_closed")


@pytest.mark.parametrize("quantity", [0, -1, 10**9, "abc"], ids=["zero", "negative", "huge", "not-a-number"])
def test_a_bad_quantity_is_a_validation_error(api, tenant, shop, quantity):
    item = make_variant(tenant, price="10.00", stock=1)
    token = checkout_cart(api, tenant, shop, item)
    url = f"{base(tenant)}/carts/{token}"
    err = assert_error(
        api.post(f"{url}/lines/", {"variant_id": item.pk, "quantity": quantity}, format="json"),
        400,
        "validation_error",
    )
    assert "quantity" in err["details"]


def test_errors_in_the_one_shape(api, tenant, shop):
    item = make_variant(tenant, price="10.00", stock=1)
    token = checkout_cart(api, tenant, shop, item)
    url = f"{base(tenant)}/carts/{token}"
    assert_error(api.post(f"{url}/lines/", {"variant_id": item.pk, "quantity": 5}, format="json"), 409, "out_of_stock")
    err = assert_error(
        api.patch(f"{url}/checkout/", {"shipping_address": {**ADDRESS, "country": "US"}}, format="json"),
        400,
        "invalid_address",
    )
    assert "country" in err["details"]
    assert_error(api.post(f"{url}/order/", HTTP_IDEMPOTENCY_KEY="bad key"), 400, "validation_error")

    catalog_services.update_variant(tenant=tenant, variant=item, data={"price": "11.00"})
    err = assert_error(api.post(f"{url}/order/"), 409, "price_changed")
    assert err["details"]["lines"][0]["current_price"] == "11.00"
    assert api.get(f"{url}/").json()["lines"][0]["problems"] == ["price_changed"]
    api.post(f"{url}/accept-prices/")

    other = ready_cart(tenant, shop, [(item, 1)], email="b@example.com")
    services.place_order(tenant=tenant, cart=other)
    err = assert_error(api.post(f"{url}/order/"), 409, "out_of_stock")
    assert err["details"]["lines"][0]["available"] == 0
    assert Order.objects.for_tenant(tenant).count() == 1

    assert_error(api.get(f"{base(tenant)}/carts/{uuid.uuid4()}/"), 404, "not_found")
    line_id = api.get(f"{url}/").json()["lines"][0]["id"]
    assert api.patch(f"{url}/lines/{line_id}/", {"quantity": 1}, format="json").status_code == 200
    assert api.delete(f"{url}/lines/{line_id}/").json()["lines"] == []


def test_one_shops_cart_token_does_not_open_another_shop(api, tenant, shop):
    elsewhere = TenantFactory()
    setup_shop(elsewhere)
    token = checkout_cart(api, tenant, shop, make_variant(tenant))
    assert_error(api.get(f"{base(elsewhere)}/carts/{token}/"), 404, "not_found")
    assert_error(api.post(f"{base(elsewhere)}/carts/{token}/order/"), 404, "not_found")
    foreign = make_variant(elsewhere, name="Foreign")
    assert_error(
        api.post(f"{base(tenant)}/carts/{token}/lines/", {"variant_id": foreign.pk, "quantity": 1}, format="json"),
        400,
        "validation_error",
    )


def test_shopper_sees_only_their_orders_with_jwt(api, tenant, shop):
    shopper, stranger = UserFactory(), UserFactory()
    mine = services.place_order(
        tenant=tenant, cart=ready_cart(tenant, shop, [(make_variant(tenant), 1)], user=shopper)
    ).order
    services.place_order(
        tenant=tenant, cart=ready_cart(tenant, shop, [(make_variant(tenant, name="Cup"), 1)], user=stranger)
    )
    assert_error(api.get(f"{base(tenant)}/orders/mine/"), 401, "not_authenticated")
    pair = issue_tokens(user=shopper, client="mobile")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    body = api.get(f"{base(tenant)}/orders/mine/").json()
    assert [o["number"] for o in body["results"]] == [mine.number]
    assert api.get(f"{base(tenant)}/orders/mine/{mine.number}/").json()["lines"][0]["quantity"] == 1
    assert_error(api.get(f"{base(tenant)}/orders/mine/{mine.number + 1}/"), 404, "not_found")


def test_staff_list_filters_and_detail(api, tenant, shop, make_member):
    orders = [
        services.place_order(
            tenant=tenant,
            cart=ready_cart(tenant, shop, [(make_variant(tenant, name=f"P{n}"), 1)], email=f"c{n}@example.com"),
        ).order
        for n in range(3)
    ]
    services.record_payment_status(tenant=tenant, order_id=orders[0].pk, status="paid")
    api.force_authenticate(make_member(tenant, "viewer"))
    listing = api.get(f"{base(tenant)}/orders/?limit=2").json()
    assert [o["number"] for o in listing["results"]] == [3, 2] and listing["next"]
    assert [o["number"] for o in api.get(listing["next"]).json()["results"]] == [1]
    assert [o["number"] for o in api.get(f"{base(tenant)}/orders/?payment_status=paid").json()["results"]] == [1]
    assert [o["number"] for o in api.get(f"{base(tenant)}/orders/?q=c2@").json()["results"]] == [3]
    assert [o["number"] for o in api.get(f"{base(tenant)}/orders/?q=%232").json()["results"]] == [2]
    assert_error(api.get(f"{base(tenant)}/orders/?status=lost"), 400, "validation_error")
    # An empty filter is "any", as the schema's enums say (schemathesis found `payment_status=` undeclared).
    assert len(api.get(f"{base(tenant)}/orders/?status=&payment_status=").json()["results"]) == 3
    assert_error(api.get(f"{base(tenant)}/orders/?payment_status=paid%20"), 400, "validation_error")
    assert_error(api.get(f"{base(tenant)}/orders/?limit=0"), 400, "validation_error")
    detail = api.get(f"{base(tenant)}/orders/1/").json()
    assert [e["kind"] for e in detail["events"]] == ["placed", "payment_status_changed"]


def test_schema_lists_the_orders_api_with_examples(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    place = paths["/api/v1/t/{tenant_slug}/carts/{token}/order/"]["post"]
    assert {"201", "409"} <= set(place["responses"])
    assert "out_of_stock" in str(place["responses"]["409"]) and "Idempotency-Key" in str(place["parameters"])
    assert "/api/v1/t/{tenant_slug}/orders/" in paths and "/api/v1/t/{tenant_slug}/orders/mine/" in paths
