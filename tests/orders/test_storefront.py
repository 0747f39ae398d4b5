"""Storefront pages without JavaScript: add to cart, cart page and header count, checkout, the
order page and its email, the guest link, "My orders", and the cart following a login."""

import pytest
from django.core import mail

from apps.catalog import services as catalog_services
from apps.orders.cart_cookie import cookie_name
from apps.orders.models import Order
from tests.factories import UserFactory
from tests.orders.conftest import ADDRESS, TEST_METHOD, make_variant

pytestmark = pytest.mark.django_db


def s(tenant, path=""):
    return f"/s/{tenant.slug}/{path}"


def add(client, tenant, variant, quantity=1, **extra):
    return client.post(s(tenant, "cart/add/"), {"variant_id": variant.pk, "quantity": quantity}, **extra)


def test_guest_buys_without_javascript(client, tenant, shop, django_capture_on_commit_callbacks):
    mug = make_variant(tenant, price="12.00", stock=4)
    product_page = client.get(s(tenant, f"p/{mug.product.slug}/"))
    assert b"Add to cart" in product_page.content and "€12.00" in product_page.content.decode()

    response = add(client, tenant, mug, 2)
    assert response.status_code == 302 and response["Location"] == s(tenant, "cart/")
    cookie = client.cookies[cookie_name(tenant)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    cart = client.get(s(tenant, "cart/")).content.decode()
    assert "€24.00" in cart and 'class="cart-count badge"' in cart and ">2</span>" in cart

    assert client.post(s(tenant, "checkout/start/")).status_code == 302
    page = client.get(s(tenant, "checkout/")).content.decode()
    assert "held for you until" in page
    bad = client.post(s(tenant, "checkout/"), {"step": "details", "email": "nope", **{**ADDRESS, "city": ""}})
    assert bad.status_code == 400 and "Enter a valid email address." in bad.content.decode()
    assert 'value="Ada Lovelace"' in bad.content.decode()  # what was typed is kept
    ok = client.post(s(tenant, "checkout/"), {"step": "details", "email": "ada@example.com", **ADDRESS})
    assert ok.status_code == 302
    client.post(
        s(tenant, "checkout/"), {"step": "methods", "shipping_method": shop.pk, "payment_method": TEST_METHOD.code}
    )
    page = client.get(s(tenant, "checkout/")).content.decode()
    assert "Place order — €28.90" in page

    with django_capture_on_commit_callbacks(execute=True):
        placed = client.post(s(tenant, "checkout/place/"), {"idempotency_key": "double-click"})
    assert placed.status_code == 302 and "/orders/view/" in placed["Location"]
    order = Order.objects.for_tenant(tenant).get()
    confirmation = client.get(placed["Location"]).content.decode()
    assert f"Order #{order.number}" in confirmation and "Pay by invoice, reference 1." in confirmation
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.com"]
    assert "Order #1" in mail.outbox[0].body and placed["Location"] in mail.outbox[0].body
    # the cart is gone from the cookie; a second click with the same key makes no second order
    assert client.get(s(tenant, "cart/")).content.decode().count("Your cart is empty") == 1
    assert Order.objects.for_tenant(tenant).count() == 1


def test_htmx_add_updates_the_header_count(client, tenant, shop):
    mug = make_variant(tenant)
    response = add(client, tenant, mug, 3, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "Added to your cart." in body
        and 'hx-swap-oob="true"' in body
        and ">3</span>" in body
    )
    refused = add(client, tenant, mug, "abc", HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "whole number" in refused.content.decode()


def test_listing_adds_single_variant_products(client, tenant, shop):
    make_variant(tenant, name="Single")
    home = client.get(s(tenant)).content.decode()
    assert 'Add to cart<span class="visually-hidden">: Single</span>' in home


def test_price_change_is_shown_and_accepted_on_the_cart_page(client, tenant, shop):
    mug = make_variant(tenant, price="10.00")
    add(client, tenant, mug)
    catalog_services.update_variant(tenant=tenant, variant=mug, data={"price": "12.00"})
    page = client.get(s(tenant, "cart/")).content.decode()
    assert "The price changed from €10.00 to €12.00." in page and "Accept the new prices" in page
    assert client.post(s(tenant, "checkout/start/")).status_code == 302  # refused back to the cart
    client.post(s(tenant, "cart/accept-prices/"))
    assert "The price changed" not in client.get(s(tenant, "cart/")).content.decode()


def test_login_merges_and_my_orders(client, tenant, shop):
    from apps.orders import services

    user = UserFactory()
    mug = make_variant(tenant, stock=5)
    cup = make_variant(tenant, stock=5, name="Cup")
    services.add_to_cart(
        tenant=tenant, cart=services.create_cart(tenant=tenant, user=user), variant_id=cup.pk, quantity=1
    )
    add(client, tenant, mug, 2)
    client.force_login(user)
    page = client.get(s(tenant, "cart/")).content.decode()
    assert "Mug (2) was added from your earlier visit." in page and "Cup" in page
    assert client.cookies[cookie_name(tenant)].value == ""  # the anonymous cookie is gone: the cart follows the user
    assert "My orders" in client.get(s(tenant, "account/orders/")).content.decode()
    client.logout()
    assert client.get(s(tenant, "account/orders/")).status_code == 302


def test_tampered_guest_link_is_404(client, tenant, shop):
    assert client.get(s(tenant, "orders/view/not-a-token/")).status_code == 404
