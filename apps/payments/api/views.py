"""Payments API: the provider webhooks (public; authenticated by the provider's signature)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApplicationError, ErrorCode
from apps.core.schema import error_responses
from apps.payments import services
from apps.tenants.access import get_public_tenant

MAX_WEBHOOK_BYTES = 256 * 1024


class StripeWebhookView(APIView):
    """``POST /api/v1/t/<slug>/payments/webhooks/stripe``: Stripe's events for this shop."""

    authentication_classes: list = []  # the Stripe-Signature header is the authentication
    permission_classes = [AllowAny]
    # Documented exception to the API throttles (apps/core/throttling.py): Stripe retries a refused
    # delivery for days, so a 429 would only delay an order's payment; a request without a valid
    # signature is refused by one HMAC check before anything is read or written.
    throttle_classes: list = []

    @extend_schema(
        operation_id="payments_stripe_webhook",
        summary="Receive a Stripe webhook event",
        description=(
            "Stripe posts PaymentIntent and charge events here. The `Stripe-Signature` header "
            "(`t=<unix time>,v1=<HMAC-SHA256>`) must match the shop's webhook secret and be at most "
            f"{settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS} s old; otherwise 400 `invalid_signature` and "
            "nothing changes. Each event id is applied once; a status never moves backwards."
        ),
        request={"application/json": {"type": "object", "additionalProperties": True}},
        responses={
            200: inline_serializer(
                "WebhookOutcome",
                {"outcome": serializers.CharField(), "event_id": serializers.CharField()},
            ),
            **error_responses(
                {
                    400: ([ErrorCode.INVALID_SIGNATURE], "Bad signature, old timestamp or not a Stripe event."),
                    404: ([], "No such shop."),
                    413: ([], "The body is over 256 KiB."),
                }
            ),
        },
        parameters=[
            OpenApiParameter(
                "Stripe-Signature", str, OpenApiParameter.HEADER, description="`t=<unix time>,v1=<HMAC-SHA256>`"
            )
        ],
        auth=[],
        tags=["payments"],
    )
    def post(self, request, tenant_slug: str):
        tenant = get_public_tenant(slug=tenant_slug)
        body = request.body
        if len(body) > MAX_WEBHOOK_BYTES:
            raise ApplicationError("The webhook body is too large.", code=ErrorCode.PAYLOAD_TOO_LARGE, status=413)
        outcome = services.receive_webhook(
            tenant=tenant,
            provider="stripe",
            payload=body,
            headers={"Stripe-Signature": request.headers.get("Stripe-Signature", "")},
        )
        return Response({"outcome": outcome.outcome, "event_id": outcome.event_id})
