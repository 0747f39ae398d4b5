"""Payments' writes. Every function is keyword-only, validated, and atomic where it writes; none
holds a row lock while a provider is called over the network."""

from apps.payments.services.config import update_provider_config
from apps.payments.services.expiry import expire_unpaid_card_orders
from apps.payments.services.payments import mark_paid, start_payment
from apps.payments.services.refunds import (
    refund_payment,
    refundable_amount,
    settle_cancellation,
    settle_cancelled_order,
)
from apps.payments.services.webhooks import WebhookOutcome, receive_webhook

__all__ = [
    "WebhookOutcome",
    "expire_unpaid_card_orders",
    "mark_paid",
    "receive_webhook",
    "refund_payment",
    "refundable_amount",
    "settle_cancellation",
    "settle_cancelled_order",
    "start_payment",
    "update_provider_config",
]
