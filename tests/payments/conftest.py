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

LOCALSTRIPE_PORT = int(os.environ.get("LOCALSTRIPE_PORT", "18710"))  # the payments engineer's private range
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
