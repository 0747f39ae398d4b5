"""Issue 11: no database row stays locked while a payment provider is called. Stripe is reached
through a real HTTP gate in front of localstripe that holds the PaymentIntent request until the
test lets it go; while ``start_payment`` waits on it in another thread, this thread takes the
order's variant, order and payment rows ``FOR UPDATE`` with a 500 ms lock timeout: had any been
locked across the call, the lock would time out."""

from __future__ import annotations

import http.server
import threading
import urllib.request

import pytest
from django.conf import settings
from django.db import connection, transaction

from apps.catalog.models import Variant
from apps.orders.models import Order
from apps.payments import services as payment_services
from apps.payments.models import Payment
from apps.payments.providers.stripe import configure_stripe
from tests.payments.conftest import make_variant, place, setup_shop

pytestmark = pytest.mark.django_db(transaction=True)


class Gate:
    """A loopback HTTP forwarder to localstripe that holds every POST until :meth:`open`."""

    def __init__(self, target: str):
        self.entered, self.released = threading.Event(), threading.Event()
        gate = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.command == "POST":
                    gate.entered.set()
                    gate.released.wait(timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                request = urllib.request.Request(target + self.path, data=body or None, headers=headers)
                request.method = self.command
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
                        status, payload, kind = answer.status, answer.read(), answer.headers.get("Content-Type")
                except urllib.error.HTTPError as error:
                    status, payload, kind = error.code, error.read(), error.headers.get("Content-Type")
                self.send_response(status)
                self.send_header("Content-Type", kind or "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _forward

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def open(self) -> None:
        self.released.set()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gate(localstripe):
    gate = Gate(localstripe)
    settings.STRIPE_API_BASE = gate.url
    configure_stripe()
    yield gate
    gate.close()
    settings.STRIPE_API_BASE = localstripe
    configure_stripe()


def test_rows_are_free_while_stripe_is_being_called(tenant, gate):
    shipping = setup_shop(tenant, stripe_enabled=True)
    variant = make_variant(tenant, stock=3)
    gate.open()  # placing also talks to Stripe: let that through, then hold the next call
    order, _ = place(tenant, shipping, [(variant, 1)], payment_method="stripe")
    payment = Payment.objects.for_tenant(tenant).get(order_id=order.pk)
    Payment.objects.for_tenant(tenant).filter(pk=payment.pk).update(provider_reference="")  # a fresh initiate
    gate.entered.clear()
    gate.released.clear()
    outcome = {}

    def pay():
        try:
            outcome["step"] = payment_services.start_payment(order=Order.objects.for_tenant(tenant).get(pk=order.pk))
        finally:
            connection.close()

    worker = threading.Thread(target=pay)
    worker.start()
    try:
        assert gate.entered.wait(timeout=15), "start_payment never reached Stripe"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '500ms'")
            assert Variant.objects.for_tenant(tenant).select_for_update().get(pk=variant.pk)
            assert Order.objects.for_tenant(tenant).select_for_update().get(pk=order.pk)
            assert Payment.objects.for_tenant(tenant).select_for_update().get(pk=payment.pk)
    finally:
        gate.open()
        worker.join(timeout=30)
    assert outcome["step"].kind == "client_secret"  # the payment went on once Stripe answered
