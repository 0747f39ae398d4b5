"""Stripe through PaymentIntents, with the official ``stripe`` package.

- Every call carries an idempotency key (Stripe replays the first answer for a repeated key), the
  tenant's own secret key, and goes to ``settings.STRIPE_API_BASE`` (``stripe.api_base`` is set
  from it in ``PaymentsConfig.ready``; localstripe on 127.0.0.1 in tests).
- Amounts become minor units here and only here (:func:`to_minor_units`).
- Webhooks are verified the way Stripe signs them (``Stripe-Signature: t=<unix>,v1=<HMAC-SHA256 of
  "<t>.<body>" with the endpoint secret>``) by ``stripe.WebhookSignature.verify_header``; a
  timestamp older than ``STRIPE_WEBHOOK_TOLERANCE_SECONDS`` (300) is refused too.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal

import stripe
from django.conf import settings

from apps.payments.providers.base import (
    ChargeRequest,
    InvalidWebhook,
    PaymentProvider,
    PaymentStatus,
    ProviderError,
    ProviderResult,
    WebhookNotice,
    from_minor_units,
    to_minor_units,
)

logger = logging.getLogger("bazaar.payments")

# PaymentIntent status -> our payment status (https://docs.stripe.com/payments/paymentintents/lifecycle).
INTENT_STATUS = {
    "requires_payment_method": PaymentStatus.PENDING,
    "requires_confirmation": PaymentStatus.PENDING,
    "requires_action": PaymentStatus.PENDING,
    "processing": PaymentStatus.PENDING,
    "requires_capture": PaymentStatus.AUTHORISED,
    "succeeded": PaymentStatus.SUCCEEDED,
    "canceled": PaymentStatus.CANCELLED,
}

CANCELLABLE = ("requires_payment_method", "requires_confirmation", "requires_action", "requires_capture")

# Webhook event type -> the payment status it reports (None: recorded, not acted on).
EVENT_STATUS = {
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "payment_intent.amount_capturable_updated": PaymentStatus.AUTHORISED,
    "payment_intent.payment_failed": PaymentStatus.FAILED,
    "payment_intent.canceled": PaymentStatus.CANCELLED,
}


def _call(operation: str, func, *args, **params):
    """Run one Stripe call; any Stripe error becomes a :class:`ProviderError` (502)."""
    try:
        return func(*args, **params)
    except stripe.StripeError as exc:
        logger.warning("stripe %s failed: %s", operation, exc.__class__.__name__, extra={"operation": operation})
        message = getattr(exc, "user_message", None) or "The card payment service could not be reached."
        raise ProviderError(message, details={"provider": "stripe", "operation": operation}) from exc


def _result(intent) -> ProviderResult:
    intent = intent.to_dict()
    return ProviderResult(
        status=INTENT_STATUS.get(intent["status"], PaymentStatus.PENDING),
        reference=intent["id"],
        client_secret=intent.get("client_secret") or "",
        data={"stripe_status": intent["status"]},
    )


class StripeProvider(PaymentProvider):
    code = "stripe"
    label = "Card (Stripe)"
    description = "Pay by card; the payment is handled by Stripe."
    holds_stock_until_paid = True
    needs_keys = True

    def initiate(self, *, config, charge: ChargeRequest) -> ProviderResult:
        """Create the PaymentIntent (the same idempotency key returns the same intent)."""
        intent = _call(
            "create_payment_intent",
            stripe.PaymentIntent.create,
            api_key=config.secret_key,
            idempotency_key=charge.idempotency_key,
            amount=to_minor_units(charge.amount, charge.currency),
            currency=charge.currency.lower(),
            payment_method_types=["card"],
            metadata={"order_number": charge.reference, **charge.metadata},
        )
        return _result(intent)

    def retrieve(self, *, config, reference: str) -> ProviderResult:
        """The PaymentIntent as Stripe has it now (used to resume an interrupted start)."""
        intent = _call(
            "retrieve_payment_intent", stripe.PaymentIntent.retrieve, id=reference, api_key=config.secret_key
        )
        return _result(intent)

    def capture(
        self, *, config, reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ProviderResult:
        """Capture an authorised PaymentIntent (manual capture)."""
        intent = _call(
            "capture_payment_intent",
            stripe.PaymentIntent.capture,
            reference,
            api_key=config.secret_key,
            idempotency_key=idempotency_key,
            amount_to_capture=to_minor_units(amount, currency),
        )
        return _result(intent)

    def refund(self, *, config, reference: str, amount: Decimal, currency: str, idempotency_key: str) -> ProviderResult:
        """Refund ``amount`` of a succeeded PaymentIntent."""
        refund = _call(
            "create_refund",
            stripe.Refund.create,
            api_key=config.secret_key,
            idempotency_key=idempotency_key,
            payment_intent=reference,
            amount=to_minor_units(amount, currency),
        )
        return ProviderResult(status=PaymentStatus.REFUNDED, reference=reference, data={"refund": refund["id"]})

    def cancel(self, *, config, reference: str, idempotency_key: str) -> ProviderResult:
        """Cancel an uncollected PaymentIntent; one Stripe already settled is reported as it is."""
        current = self.retrieve(config=config, reference=reference)
        if current.data.get("stripe_status") not in CANCELLABLE:
            return current
        intent = _call(
            "cancel_payment_intent",
            stripe.PaymentIntent.cancel,
            reference,
            api_key=config.secret_key,
            idempotency_key=idempotency_key,
        )
        return _result(intent)

    def parse_webhook(self, *, config, payload: bytes, headers: dict) -> WebhookNotice:
        """Verify the ``Stripe-Signature`` header and the timestamp, then read the event."""
        secret = getattr(config, "webhook_secret", "") or ""
        header = headers.get("Stripe-Signature") or headers.get("HTTP_STRIPE_SIGNATURE") or ""
        if not secret:
            raise InvalidWebhook("Stripe webhooks are not configured for this shop.")
        try:
            stripe.WebhookSignature.verify_header(
                payload, header, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
            )
        except stripe.SignatureVerificationError as exc:
            raise InvalidWebhook("The Stripe-Signature header does not match this payload, or it is too old.") from exc
        try:
            event = json.loads(payload)
            event_id, event_type, obj = event["id"], event["type"], event["data"]["object"]
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidWebhook("The webhook body is not a Stripe event.") from exc
        return read_event(event_id=str(event_id), event_type=str(event_type), obj=obj, created=event.get("created", 0))


def read_event(*, event_id: str, event_type: str, obj: dict, created: int = 0) -> WebhookNotice:
    """Reduce a verified Stripe event to the payment it concerns and the status it reports."""
    if event_type.startswith("payment_intent."):
        return WebhookNotice(
            event_id=event_id,
            type=event_type,
            reference=str(obj.get("id", "")),
            status=EVENT_STATUS.get(event_type),
            created=int(created or 0),
            data={"stripe_status": obj.get("status")},
        )
    if event_type == "charge.refunded":
        amount, refunded = int(obj.get("amount", 0)), int(obj.get("amount_refunded", 0))
        currency = str(obj.get("currency", "eur"))
        status = PaymentStatus.REFUNDED if refunded >= amount else PaymentStatus.PARTIALLY_REFUNDED
        return WebhookNotice(
            event_id=event_id,
            type=event_type,
            reference=str(obj.get("payment_intent") or ""),
            status=status if refunded > 0 else None,
            created=int(created or 0),
            amount_refunded=from_minor_units(refunded, currency),
        )
    return WebhookNotice(event_id=event_id, type=event_type, reference="", status=None, created=int(created or 0))


def configure_stripe() -> None:
    """Point the ``stripe`` package at ``STRIPE_API_BASE`` with our timeout (called once at start-up)."""
    stripe.api_base = settings.STRIPE_API_BASE
    stripe.max_network_retries = 0  # our callers retry; a retry here would hold a request for seconds
    stripe.default_http_client = stripe.new_default_http_client(timeout=settings.STRIPE_TIMEOUT_SECONDS)
