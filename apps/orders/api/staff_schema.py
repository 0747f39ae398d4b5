"""OpenAPI documentation of the staff order exports and customers API (``staff_views.py``): each
constant is the ``extend_schema`` arguments of one view method; the generic statuses come from
``apps.core.schema.add_error_responses``."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from apps.core.errors import ErrorCode
from apps.core.schema import error_responses, example, limit_parameter
from apps.core.schema_links import register_link
from apps.orders.api import staff_serializers as s

JOB_EXAMPLE = {
    "id": 12,
    "kind": "orders",
    "status": "running",
    "filters": {"payment_status": "paid", "created_from": "2026-11-01"},
    "progress": {"done": 3000, "total": 8214, "percent": 36},
    "total_rows": 0,
    "message": "",
    "created_at": "2026-12-01T10:00:00Z",
    "finished_at": None,
    "download_url": None,
}
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[202], description="The job to poll"
)
JOB_ERRORS = {404: ([ErrorCode.NOT_FOUND], "No such export (another shop's, or deleted a day after it was made).")}

EXPORTS_CREATE = {
    "operation_id": "orders_exports_create",
    "summary": "Export the filtered orders, or their lines, as CSV in the background (staff)",
    "description": "The filters are the order list's (`GET orders/`). Poll the job (`Location`) until `status` is "
    "`done`, then download it; files are deleted a day after being made.",
    "request": s.ExportInputSerializer,
    "parameters": [LOCATION],
    "examples": [
        example(
            "paid orders of November",
            {"kind": "orders", "payment_status": "paid", "created_from": "2026-11-01", "created_to": "2026-11-30"},
            request_only=True,
        )
    ],
    "responses": {
        202: OpenApiResponse(s.ExportJobSerializer, examples=[example("queued", {**JOB_EXAMPLE, "status": "pending"})]),
        **error_responses({400: [ErrorCode.VALIDATION_ERROR]}),
    },
}
EXPORTS_RETRIEVE = {
    "operation_id": "orders_exports_retrieve",
    "summary": "An export job: status and progress; download_url once done",
    "responses": {
        200: OpenApiResponse(s.ExportJobSerializer, examples=[example("running", JOB_EXAMPLE)]),
        **error_responses(JOB_ERRORS),
    },
}
EXPORTS_DOWNLOAD = {
    "operation_id": "orders_exports_download",
    "summary": "Download a finished export's CSV",
    "responses": {
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The CSV, as an attachment"),
        **error_responses(
            {404: ([ErrorCode.NOT_FOUND], "No such export, or it is not done yet (or was deleted after a day).")}
        ),
    },
}

CUSTOMER_EXAMPLE = {
    "email": "ada@example.com",
    "orders": 3,
    "spent": "58.70",
    "currency": "EUR",
    "last_order_at": "2026-12-01T10:00:00Z",
    "last_order_number": 1042,
}
CUSTOMER_PAGE = inline_serializer(
    "CustomerPage",
    {
        "next": serializers.URLField(allow_null=True, help_text="The next page; null on the last"),
        "first": serializers.URLField(help_text="The first page with the same filters"),
        "results": s.CustomerSerializer(many=True),
    },
)
CUSTOMERS_LIST = {
    "operation_id": "customers_list",
    "summary": "The shop's customers, one per email, most recent buyer first (staff)",
    "description": "Keyset-paged: follow `next`. Guests and accounts alike (emails are stored lower-cased).",
    "parameters": [
        OpenApiParameter("q", {"type": "string", "maxLength": s.Q_MAX_LENGTH}, description="The start of the email"),
        OpenApiParameter("cursor", str, description="From `next` of the previous page (404 if not one)"),
        limit_parameter(25),
    ],
    "responses": {
        200: OpenApiResponse(
            CUSTOMER_PAGE,
            examples=[
                example(
                    "a page",
                    {
                        "next": None,
                        "first": "https://shop.example/api/v1/t/kettle/customers/",
                        "results": [CUSTOMER_EXAMPLE],
                    },
                )
            ],
        ),
        **error_responses({400: [ErrorCode.VALIDATION_ERROR]}),
    },
}
CUSTOMERS_RETRIEVE = {
    "operation_id": "customers_retrieve",
    "summary": "A customer's figures and newest orders (staff)",
    "parameters": [
        OpenApiParameter(
            "email",
            {"type": "string", "maxLength": 254, "pattern": "^[^/]+$"},
            OpenApiParameter.PATH,
            description="The email (any case)",
        )
    ],
    "responses": {
        200: s.CustomerDetailSerializer,
        **error_responses({404: ([ErrorCode.NOT_FOUND], "No orders with this email in the shop.")}),
    },
}

register_link(
    "orders_exports_create",
    "202",
    "orders_exports_retrieve",
    tenant_slug="$request.path.tenant_slug",
    job_id="$response.body#/id",
)
register_link(
    "orders_exports_retrieve",
    "200",
    "orders_exports_download",
    tenant_slug="$request.path.tenant_slug",
    job_id="$request.path.job_id",
)
