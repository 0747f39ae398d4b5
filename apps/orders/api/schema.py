"""OpenAPI documentation of the staff after-sales operations on ``orders/<number>/``: request
bodies, examples and the error codes each can answer with (the generic statuses come from
``apps.core.schema.add_error_responses``). Each constant is the ``extend_schema`` arguments of one
view method."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from apps.core.errors import ErrorCode
from apps.core.schema import error_responses, example
from apps.orders.api import aftersales_serializers as a
from apps.orders.api import serializers as s

ORDER_ERRORS = {404: [ErrorCode.NOT_FOUND]}
SHIPMENT_EXAMPLE = {
    "sequence": 1,
    "carrier": "dhl",
    "tracking_number": "JD014600006281230704",
    "tracking_link": "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD014600006281230704",
    "lines": [{"line_id": 311, "quantity": 2}],
    "created_at": "2026-12-01T10:00:00Z",
}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "pattern": "^[!-~]{1,100}$"},
    OpenApiParameter.HEADER,
    description="1-100 printable characters: a retry with the same key returns the same refund (200)",
)

ORDERS_FULFIL = {
    "operation_id": "orders_staff_fulfil",
    "summary": "Ship units of the order (all still to ship, or the given lines) with carrier and tracking",
    "request": a.FulfilInputSerializer,
    "examples": [
        example(
            "two units by DHL",
            {"lines": [{"line_id": 311, "quantity": 2}], "carrier": "dhl", "tracking_number": "JD014600006281230704"},
            request_only=True,
        )
    ],
    "responses": {
        201: OpenApiResponse(s.FulfilmentSerializer, examples=[example("shipped", SHIPMENT_EXAMPLE)]),
        **error_responses(
            {
                400: [ErrorCode.VALIDATION_ERROR],
                **ORDER_ERRORS,
                409: (
                    [ErrorCode.INVALID_TRANSITION, ErrorCode.OUT_OF_STOCK],
                    "The order cannot ship (unconfirmed, cancelled, nothing left to ship).",
                ),
            }
        ),
    },
}

ORDERS_CANCEL = {
    "operation_id": "orders_staff_cancel",
    "summary": "Cancel every unit not shipped yet (stock released, payment cancelled or refunded after commit)",
    "request": a.CancelInputSerializer,
    "responses": {
        200: s.StaffOrderSerializer,
        **error_responses(
            {
                **ORDER_ERRORS,
                409: ([ErrorCode.INVALID_TRANSITION], "Nothing is left to cancel (fulfilled or returned)."),
            }
        ),
    },
}

REFUND_EXAMPLE = {
    "refund_id": 77,
    "amount": "16.90",
    "currency": "EUR",
    "status": "succeeded",
    "manual": False,
    "provider": "stripe",
}
ORDERS_REFUND = {
    "operation_id": "orders_staff_refund",
    "summary": "Refund an amount, or lines and/or the shipping, through the order's payment",
    "request": a.RefundInputSerializer,
    "parameters": [IDEMPOTENCY_KEY],
    "examples": [
        example(
            "a line and the shipping", {"lines": [{"line_id": 311, "quantity": 1}], "shipping": True}, request_only=True
        ),
        example("an amount", {"amount": "5.00", "reason": "Late delivery"}, request_only=True),
    ],
    "responses": {
        201: OpenApiResponse(a.RefundSerializer, examples=[example("refunded", REFUND_EXAMPLE)]),
        200: OpenApiResponse(a.RefundSerializer, description="Replayed: this Idempotency-Key's refund"),
        **error_responses(
            {
                400: [ErrorCode.VALIDATION_ERROR],
                **ORDER_ERRORS,
                409: (
                    [ErrorCode.REFUND_EXCEEDS_CHARGE, ErrorCode.NOT_REFUNDABLE, ErrorCode.IDEMPOTENCY_KEY_REUSED],
                    "More than is left (details.refundable), nothing collected, or a key reused.",
                ),
                502: ([ErrorCode.PROVIDER_ERROR], "The payment provider refused or could not be reached."),
            }
        ),
    },
}

ORDERS_RETURN = {
    "operation_id": "orders_staff_return",
    "summary": "Record returned units (optionally back in stock); refund them with the refund operation",
    "request": a.ReturnInputSerializer,
    "examples": [
        example(
            "one unit back on the shelf",
            {"lines": [{"line_id": 311, "quantity": 1}], "restock": True},
            request_only=True,
        )
    ],
    "responses": {
        201: a.ReturnSerializer,
        **error_responses(
            {
                400: [ErrorCode.VALIDATION_ERROR],
                **ORDER_ERRORS,
                409: ([ErrorCode.INVALID_TRANSITION], "Not fully shipped yet, cancelled, or everything is back."),
            }
        ),
    },
}

ORDERS_NOTES_LIST = {
    "operation_id": "orders_staff_notes_list",
    "summary": "Staff notes on the order, oldest first",
    "responses": {200: a.NoteSerializer(many=True), **error_responses(ORDER_ERRORS)},
}
ORDERS_NOTES_CREATE = {
    "operation_id": "orders_staff_notes_create",
    "summary": "Add a staff note (never shown to the shopper)",
    "request": a.NoteInputSerializer,
    "responses": {
        201: a.NoteSerializer,
        **error_responses({400: [ErrorCode.VALIDATION_ERROR], **ORDER_ERRORS}),
    },
}
