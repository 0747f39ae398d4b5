"""Orders fixtures: a shop that ships to France and Germany with 20 % VAT, and a test payment
method registered through the public hook (the payments app registers the real ones)."""

from __future__ import annotations

import pytest

from apps.orders import services
from apps.orders.hooks import PaymentMethod, PaymentStep, register_payment_method, unregister_payment_method
from tests.catalog.factories import make_product

ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "1 Rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "FR",
}
STARTED: list[int] = []


def _start(order) -> PaymentStep:
    STARTED.append(order.pk)
    return PaymentStep(kind="instructions", message=f"Pay by invoice, reference {order.number}.")


TEST_METHOD = PaymentMethod(
    code="test_invoice",
    label="Invoice (test)",
    description="Registered by tests/orders/conftest.py",
    is_available=lambda tenant: True,
    start=_start,
)


@pytest.fixture(autouse=True)
def test_payment_method():
    register_payment_method(TEST_METHOD)
    STARTED.clear()
    yield TEST_METHOD
    unregister_payment_method(TEST_METHOD.code)


def setup_shop(tenant, *, rate="20", prices_include_tax=True):
    """Zones, a flat method (4.90, free over 100) and a tax rate for ``tenant``; returns the method."""
    zone = services.create_shipping_zone(tenant=tenant, name="EU", countries_value=["FR", "DE"])
    method = services.create_shipping_method(
        tenant=tenant,
        zone_id=zone.pk,
        data={"name": "Standard", "price": "4.90", "free_over": "100", "delivery_estimate": "2-4 days"},
    )
    services.set_tax_rate(tenant=tenant, country="", rate=rate)
    services.update_selling_settings(tenant=tenant, data={"prices_include_tax": prices_include_tax})
    return method


@pytest.fixture
def shop(tenant):
    """``tenant`` ready to sell; returns its shipping method."""
    return setup_shop(tenant)


def make_variant(tenant, *, price="10.00", stock=5, name=None):
    product = make_product(tenant, name=name or "Mug", price=price, stock=stock)
    return product.variants.get()


def ready_cart(tenant, method, items, *, email="ada@example.com", user=None):
    """A cart with ``items`` [(variant, quantity)], email, address, shipping and payment chosen."""
    cart = services.create_cart(tenant=tenant, user=user)
    for variant, quantity in items:
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=variant.pk, quantity=quantity)
    services.update_checkout(
        tenant=tenant,
        cart=cart,
        data={
            "email": email,
            "shipping_address": ADDRESS,
            "shipping_method": method.pk,
            "payment_method": TEST_METHOD.code,
        },
    )
    cart.refresh_from_db()
    return cart


def a(tenant, path=""):
    """The console orders URL of ``tenant`` (``path`` below it)."""
    return f"/a/{tenant.slug}/orders/{path}"


def place(tenant, method, n=1, email="ada@example.com"):
    """Place ``n`` one-line orders for ``email`` with shipping ``method``."""
    return [
        services.place_order(
            tenant=tenant,
            cart=ready_cart(tenant, method, [(make_variant(tenant, name=f"P{email}{i}"), 1)], email=email),
        ).order
        for i in range(n)
    ]
