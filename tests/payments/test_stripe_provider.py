"""The Stripe provider against a real fake Stripe (localstripe on 127.0.0.1): PaymentIntents,
minor units at the edge, idempotency keys on every call, errors as ProviderError."""

from __future__ import annotations

import socket
from decimal import Decimal
from types import SimpleNamespace

import pytest
import requests
import stripe

from apps.payments.providers import get_provider
from apps.payments.providers.base import ChargeRequest, PaymentStatus, ProviderError, from_minor_units, to_minor_units
from tests.payments.conftest import PUBLISHABLE_KEY, SECRET_KEY, confirm_with_card

CONFIG = SimpleNamespace(secret_key=SECRET_KEY, publishable_key=PUBLISHABLE_KEY, webhook_secret="whsec_test")


def test_minor_units_follow_iso_4217_digits():
    assert to_minor_units(Decimal("24.00"), "EUR") == 2400
    assert to_minor_units(Decimal("0.105"), "EUR") == 11  # half-up
    assert to_minor_units(Decimal("500"), "JPY") == 500
    assert to_minor_units(Decimal("1.234"), "KWD") == 1234
    assert from_minor_units(2400, "eur") == Decimal("24.00")


def test_initiate_creates_a_payment_intent_in_minor_units(localstripe):
    provider = get_provider("stripe")
    charge = ChargeRequest(reference="1042", amount=Decimal("24.90"), currency="EUR", idempotency_key="key-initiate-1")
    result = provider.initiate(config=CONFIG, charge=charge)
    assert result.status == PaymentStatus.PENDING
    assert result.reference.startswith("pi_") and result.client_secret.startswith(result.reference + "_secret_")
    intent = stripe.PaymentIntent.retrieve(result.reference, api_key=SECRET_KEY)
    assert intent.amount == 2490 and intent.currency == "eur"
    assert intent.metadata["order_number"] == "1042"


def test_every_call_carries_an_idempotency_key(localstripe, monkeypatch):
    """The Idempotency-Key header reaches the wire on create, capture, refund and cancel."""
    seen: list[tuple[str, str | None]] = []
    real_request = stripe.default_http_client.request

    def spy(method, url, headers, post_data=None, **kwargs):
        seen.append((f"{method.upper()} {url.split('/v1/')[-1]}", headers.get("Idempotency-Key")))
        return real_request(method, url, headers, post_data, **kwargs)

    monkeypatch.setattr(stripe.default_http_client, "request", spy)
    provider = get_provider("stripe")
    paid = provider.initiate(
        config=CONFIG, charge=ChargeRequest(reference="7", amount=Decimal("10"), currency="EUR", idempotency_key="k-a")
    )
    confirm_with_card(paid.reference)
    provider.refund(config=CONFIG, reference=paid.reference, amount=Decimal("4"), currency="EUR", idempotency_key="k-r")
    open_one = provider.initiate(
        config=CONFIG, charge=ChargeRequest(reference="8", amount=Decimal("5"), currency="EUR", idempotency_key="k-b")
    )
    provider.cancel(config=CONFIG, reference=open_one.reference, idempotency_key="k-c")
    ours = [(call, key) for call, key in seen if key in {"k-a", "k-r", "k-b", "k-c"}]
    assert [key for _, key in ours] == ["k-a", "k-r", "k-b", "k-c"]
    writes = [call for call, key in seen if call.startswith("POST") and key is None]
    assert writes == [], f"provider writes without an idempotency key: {writes}"


def test_capture_of_a_manual_intent_succeeds(localstripe):
    intent = stripe.PaymentIntent.create(
        amount=1500, currency="eur", capture_method="manual", payment_method_types=["card"], api_key=SECRET_KEY
    )
    confirm_with_card(intent.id)
    provider = get_provider("stripe")
    assert provider.retrieve(config=CONFIG, reference=intent.id).status == PaymentStatus.AUTHORISED
    result = provider.capture(
        config=CONFIG, reference=intent.id, amount=Decimal("15.00"), currency="EUR", idempotency_key="cap-1"
    )
    assert result.status == PaymentStatus.SUCCEEDED


def test_cancel_reports_a_succeeded_intent_instead_of_cancelling_it(localstripe):
    provider = get_provider("stripe")
    result = provider.initiate(
        config=CONFIG, charge=ChargeRequest(reference="9", amount=Decimal("3"), currency="EUR", idempotency_key="k-s")
    )
    confirm_with_card(result.reference)
    after = provider.cancel(config=CONFIG, reference=result.reference, idempotency_key="k-s-cancel")
    assert after.status == PaymentStatus.SUCCEEDED


def test_a_refused_call_is_a_provider_error(localstripe):
    provider = get_provider("stripe")
    with pytest.raises(ProviderError) as caught:
        provider.retrieve(config=CONFIG, reference="pi_doesnotexist")
    assert caught.value.status == 502 and caught.value.code == "provider_error"


def test_an_unreachable_stripe_is_a_provider_error(settings):
    from apps.payments.providers.stripe import configure_stripe

    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"
    configure_stripe()
    try:
        with pytest.raises(ProviderError):
            get_provider("stripe").initiate(
                config=CONFIG,
                charge=ChargeRequest(reference="1", amount=Decimal("1"), currency="EUR", idempotency_key="k-down"),
            )
    finally:
        settings.STRIPE_API_BASE = "https://api.stripe.com"
        configure_stripe()


def test_localstripe_listens_on_loopback_only(localstripe):
    assert requests.get(f"{localstripe}/v1/payment_intents", auth=(SECRET_KEY, ""), timeout=5).status_code == 200
    port = int(localstripe.rsplit(":", 1)[1])
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for address in addresses:
        with socket.socket() as sock:
            sock.settimeout(1)
            assert sock.connect_ex((address, port)) != 0
