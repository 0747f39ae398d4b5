"""OpenAPI documentation of the analytics API (ingest, reports, the data subject's requests).

Each constant is the ``extend_schema`` arguments of one view method; the generic error statuses
come from ``apps.core.schema.add_error_responses``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from apps.analytics import selectors
from apps.analytics.api.report_serializers import REPORT_RESPONSE
from apps.analytics.api.serializers import (
    ConsentSerializer,
    EraseMeSerializer,
    IngestBatchSerializer,
    IngestResultSerializer,
)
from apps.analytics.selectors import MAX_RANGE_DAYS
from apps.core.errors import ErrorCode
from apps.core.schema import error_responses, example

KEY_HEADER = "X-Analytics-Key"
PRIVACY_REQUEST = inline_serializer(
    "PrivacyRequestOut",
    {"id": serializers.UUIDField(), "kind": serializers.CharField(), "status": serializers.CharField()},
)

ANALYTICS_INGEST_EVENTS = {
    "operation_id": "analytics_ingest_events",
    "summary": "Send a batch of analytics events",
    "description": (
        "Public endpoint authenticated by the shop's write-only ingest key (body `key` or header "
        "`X-Analytics-Key`) or by a member's JWT. Accepts `application/json` and `text/plain` "
        "(navigator.sendBeacon). Each event is accepted or rejected with a reason; 429 with "
        "Retry-After when rate-limited, 413 for bodies over ANALYTICS_MAX_BODY_BYTES."
    ),
    "request": {"application/json": IngestBatchSerializer, "text/plain": IngestBatchSerializer},
    "responses": {
        202: IngestResultSerializer,
        **error_responses(
            {
                400: ([], "Malformed body or batch: not JSON, not 1-100 events, bad sent_at."),
                401: ([ErrorCode.INVALID_INGEST_KEY], "Missing or wrong ingest key, or an invalid token."),
                413: ([], "Body larger than ANALYTICS_MAX_BODY_BYTES."),
                415: ([], "Content type other than application/json or text/plain."),
            }
        ),
    },
    "parameters": [OpenApiParameter(KEY_HEADER, str, OpenApiParameter.HEADER, required=False)],
    "examples": [
        example(
            "Page view",
            {
                "key": "ik_...",
                "sent_at": "2026-11-26T12:00:01Z",
                "events": [
                    {
                        "event_id": "0b6a5c1e-3f7e-4a57-9a5e-0c1d2e3f4a5b",
                        "type": "page_view",
                        "occurred_at": "2026-11-26T12:00:00Z",
                        "url": "https://shop.example/s/acme/",
                    }
                ],
            },
            request_only=True,
        )
    ],
    "tags": ["analytics"],
}
ANALYTICS_REPORT = {
    "operation_id": "analytics_report",
    "summary": "One analytics report over a date range (tenant time zone)",
    "description": (
        "Reports: summary (totals, previous period and change), timeseries (visitors and pageviews per "
        "day, per hour for one day), pages, products, referrers, search-terms, zero-result-searches; "
        "commerce: revenue, orders, average order value, conversion rate (orders per session, percent), "
        "units and sessions with the previous period and the change (money as decimal strings in "
        "`currency`; revenue is the orders' totals as placed, from server-side purchase events, less the "
        "refunds made in the range, from server-side refund events, and less the cancellations not "
        "refunded; orders are placed orders less whole cancellations); funnel: "
        "product views, add to cart, checkouts started, orders placed, with the share kept from the "
        "previous step and the drop-off; product-sales: top products by revenue with units; vouchers: "
        "orders per voucher code. Each answer's `report` names its shape. "
        "`from`/`to` are local dates (YYYY-MM-DD) of the shop, `to` not before `from`, at most "
        f"{MAX_RANGE_DAYS} days apart; or `period` = today, 7d, 30d (400 `validation_error` otherwise)."
    ),
    "parameters": [
        OpenApiParameter("report", str, OpenApiParameter.PATH, enum=list(selectors.REPORTS)),
        OpenApiParameter("from", OpenApiTypes.DATE, description="First local date, YYYY-MM-DD"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last local date, YYYY-MM-DD"),
        OpenApiParameter("period", str, enum=["today", "7d", "30d"]),
        OpenApiParameter(
            "limit", {"type": "integer", "minimum": 1, "maximum": 100}, description="Rows of a top list (default 10)"
        ),
    ],
    "responses": {
        200: REPORT_RESPONSE,
        **error_responses({403: ([ErrorCode.PERMISSION_DENIED], "Your role lacks analytics.view.")}),
    },
    "examples": [
        example(
            "Top pages",
            {
                "report": "pages",
                "from": "2026-11-01",
                "to": "2026-11-07",
                "time_zone": "Europe/Paris",
                "rows": [{"key": "/s/acme/", "label": "/s/acme/", "count": 120}],
            },
            response_only=True,
        ),
        example(
            "Commerce",
            {
                "report": "commerce",
                "from": "2026-11-01",
                "to": "2026-11-07",
                "time_zone": "Europe/Paris",
                "currency": "EUR",
                "totals": {
                    "revenue": "30.51",
                    "refunds": "0.00",
                    "cancelled": "0.00",
                    "orders": 3,
                    "average_order_value": "10.17",
                    "conversion_rate": 75.0,
                    "units": 4,
                    "sessions": 4,
                },
                "previous": {
                    "revenue": "15.00",
                    "refunds": "0.00",
                    "cancelled": "0.00",
                    "orders": 1,
                    "average_order_value": "15.00",
                    "conversion_rate": 50.0,
                    "units": 3,
                    "sessions": 2,
                },
                "change": {
                    "revenue": 103.4,
                    "refunds": None,
                    "cancelled": None,
                    "orders": 200.0,
                    "average_order_value": -32.2,
                    "conversion_rate": 50.0,
                    "units": 33.3,
                    "sessions": 100.0,
                },
            },
            response_only=True,
        ),
        example(
            "Funnel",
            {
                "report": "funnel",
                "from": "2026-11-01",
                "to": "2026-11-07",
                "time_zone": "Europe/Paris",
                "steps": [
                    {
                        "step": "product_view",
                        "label": "Product views",
                        "count": 10,
                        "of_previous": None,
                        "drop_off": None,
                        "of_first": 100.0,
                    },
                    {
                        "step": "add_to_cart",
                        "label": "Added to cart",
                        "count": 4,
                        "of_previous": 40.0,
                        "drop_off": 60.0,
                        "of_first": 40.0,
                    },
                    {
                        "step": "checkout_started",
                        "label": "Checkouts started",
                        "count": 2,
                        "of_previous": 50.0,
                        "drop_off": 50.0,
                        "of_first": 20.0,
                    },
                    {
                        "step": "purchase",
                        "label": "Orders placed",
                        "count": 1,
                        "of_previous": 50.0,
                        "drop_off": 50.0,
                        "of_first": 10.0,
                    },
                ],
            },
            response_only=True,
        ),
    ],
    "tags": ["analytics"],
}
ME_EXPORT = {
    "operation_id": "me_export",
    "summary": "Export everything Bazaar holds about me (background; link by email, valid 24 h)",
    "request": None,
    "responses": {202: PRIVACY_REQUEST},
    "tags": ["privacy"],
}
ME_ERASE = {
    "operation_id": "me_erase",
    "summary": "Erase my account and personal data in every app, after a 24-hour grace period cancellable "
    "from the email (re-authenticate with password or code)",
    "description": "`confirm_email` must be the account's own email address (400 otherwise). `password` "
    "or `code` (a TOTP or recovery code) re-authenticates: missing or wrong is 403 "
    "`reauthentication_required` with `details.methods`.",
    "request": EraseMeSerializer,
    "responses": {
        202: PRIVACY_REQUEST,
        **error_responses(
            {
                403: ([ErrorCode.REAUTHENTICATION_REQUIRED], "Re-authenticate: send `password` or `code`."),
                429: ([ErrorCode.LOCKED_OUT], "Too many wrong passwords or codes (see Retry-After), or throttled."),
            }
        ),
    },
    "examples": [
        example("Confirm", {"confirm_email": "me@example.com", "password": "violet-otter-47-meadow"}, request_only=True)
    ],
    "tags": ["privacy"],
}
ME_CONSENT_GET = {"operation_id": "me_consent_get", "responses": {200: ConsentSerializer}, "tags": ["privacy"]}
ME_CONSENT_PUT = {
    "operation_id": "me_consent_put",
    "request": ConsentSerializer,
    "responses": {200: ConsentSerializer},
    "tags": ["privacy"],
}
