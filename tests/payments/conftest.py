"""Payments fixtures: a real localstripe server on 127.0.0.1, tenants with providers configured,
and Stripe-style webhook signing."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from apps.payments.providers.stripe import configure_stripe
from tests.parallel import worker_port

# The payments engineer's private range; each xdist worker the next port up.
LOCALSTRIPE_PORT = worker_port(int(os.environ.get("LOCALSTRIPE_PORT", "18710")))
SECRET_KEY = "sk_test_bazaar_localstripe"
PUBLISHABLE_KEY = "pk_test_bazaar_localstripe"


def _wait_for_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"localstripe did not start on 127.0.0.1:{port}")


@pytest.fixture(scope="module")
def localstripe():
    """localstripe as a subprocess on 127.0.0.1 (one per test module, so webhooks registered by one
    module never reach another's); ``settings.STRIPE_API_BASE`` and ``stripe.api_base`` point at it.
    Stopped by its PID."""
    script = Path(__file__).with_name("run_localstripe.py")
    process = subprocess.Popen(
        [sys.executable, str(script), str(LOCALSTRIPE_PORT)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{LOCALSTRIPE_PORT}"
    old_base = settings.STRIPE_API_BASE
    try:
        _wait_for_port(LOCALSTRIPE_PORT, time.monotonic() + 15)
        settings.STRIPE_API_BASE = base
        configure_stripe()
        yield base
    finally:
        settings.STRIPE_API_BASE = old_base
        configure_stripe()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def register_localstripe_webhook(base: str, *, hook_id: str, url: str, secret: str) -> None:
    """Ask localstripe to post its events (signed with ``secret``) to ``url``."""
    response = requests.post(f"{base}/_config/webhooks/{hook_id}", data={"url": url, "secret": secret}, timeout=5)
    response.raise_for_status()


def confirm_with_card(intent_id: str) -> None:
    """What Stripe.js does in the shopper's browser with the client secret: attach a card, confirm."""
    import stripe

    pm = stripe.PaymentMethod.create(
        type="card",
        card={"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
        api_key=SECRET_KEY,
    )
    stripe.PaymentIntent.modify(intent_id, payment_method=pm.id, api_key=SECRET_KEY)
    stripe.PaymentIntent.confirm(intent_id, api_key=SECRET_KEY)


def sign_payload(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header exactly as Stripe makes it: ``t=<unix>,v1=<HMAC-SHA256("t.body")>``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def stripe_event(event_id: str, event_type: str, obj: dict, *, created: int | None = None) -> bytes:
    """A Stripe event body (``{"id", "object": "event", "type", "created", "data": {"object": ...}}``)."""
    body = {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": int(time.time()) if created is None else created,
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(body).encode()


# --- Shops and orders ------------------------------------------------------------------------
ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "1 Rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "FR",
}
WEBHOOK_SECRET = "whsec_test_bazaar_payments"


def setup_shop(tenant, *, stripe_enabled: bool = False, webhook_secret: str = WEBHOOK_SECRET):
    """``tenant`` sells: a zone (FR, DE), a flat shipping method, 20 % VAT, bank transfer and cash on
    delivery enabled (and Stripe with test keys if asked). Returns the shipping method."""
    from apps.orders import services as order_services
    from apps.payments import services

    zone = order_services.create_shipping_zone(tenant=tenant, name="EU", countries_value=["FR", "DE"])
    method = order_services.create_shipping_method(
        tenant=tenant, zone_id=zone.pk, data={"name": "Standard", "price": "4.90", "delivery_estimate": "2-4 days"}
    )
    order_services.set_tax_rate(tenant=tenant, country="", rate="20")
    services.update_provider_config(
        tenant=tenant, provider="bank_transfer", enabled=True, instructions="IBAN FR76 3000 6000 0112 3456 7890 189"
    )
    services.update_provider_config(tenant=tenant, provider="cash_on_delivery", enabled=True)
    if stripe_enabled:
        services.update_provider_config(
            tenant=tenant,
            provider="stripe",
            enabled=True,
            publishable_key=PUBLISHABLE_KEY,
            secret_key=SECRET_KEY,
            webhook_secret=webhook_secret,
        )
    return method


def make_variant(tenant, *, price="10.00", stock=5, name="Mug"):
    from tests.catalog.factories import make_product

    return make_product(tenant, name=name, price=price, stock=stock).variants.get()


def place(tenant, shipping_method, items, *, payment_method="bank_transfer", email="ada@example.com"):
    """Place an order through the orders services (cart, checkout, place) and start its payment.
    Returns ``(order, step)``."""
    from apps.orders import services as order_services

    cart = order_services.create_cart(tenant=tenant)
    for variant, quantity in items:
        order_services.add_to_cart(tenant=tenant, cart=cart, variant_id=variant.pk, quantity=quantity)
    order_services.update_checkout(
        tenant=tenant,
        cart=cart,
        data={
            "email": email,
            "shipping_address": ADDRESS,
            "shipping_method": shipping_method.pk,
            "payment_method": payment_method,
        },
    )
    cart.refresh_from_db()
    placed = order_services.place_order(tenant=tenant, cart=cart)
    step = order_services.start_payment(tenant=tenant, order=placed.order)
    placed.order.refresh_from_db()
    return placed.order, step


@pytest.fixture
def shop(tenant):
    return setup_shop(tenant)


@pytest.fixture
def card_shop(tenant, localstripe):
    return setup_shop(tenant, stripe_enabled=True)


# The outbox tests' fixture (real RabbitMQ, a queue of the test's own, switchable to a dead broker).
