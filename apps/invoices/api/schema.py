"""OpenAPI documentation of the invoices API (``orders/<number>/invoices/...``): each constant is
the ``extend_schema`` arguments of one view method; generic statuses come from
``apps.core.schema.add_error_responses``."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from apps.core.errors import ErrorCode
from apps.core.schema import error_responses, example
from apps.core.schema_links import register_link
from apps.invoices.api import serializers as s

INVOICE_EXAMPLE = {
    "id": 42,
    "number": "2026-00042",
    "year": 2026,
    "issued_at": "2026-12-01T10:00:00Z",
    "rendered_at": "2026-12-01T10:00:02Z",
    "pdf_url": "https://shop.example/api/v1/t/kettle/orders/1001/invoices/42/pdf/",
}
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=[202],
    description="Where to poll: the order's invoices",
)

INVOICES_LIST = {
    "operation_id": "invoices_order_list",
    "summary": "The order's invoices (none until it is paid and invoiced, then one) (staff)",
    "responses": {
        200: OpenApiResponse(s.InvoiceSerializer(many=True), examples=[example("one", [INVOICE_EXAMPLE])]),
        **error_responses({404: [ErrorCode.NOT_FOUND]}),
    },
}
INVOICES_REQUEST = {
    "operation_id": "invoices_order_request",
    "summary": "Make the order's invoice in the background; poll the order's invoices for it",
    "description": (
        "Idempotent: an order whose invoice is made answers `issued` with it; one numbered but "
        "without its PDF yet is `queued` again (the PDF is made); no second number is ever taken."
    ),
    "request": None,
    "parameters": [LOCATION],
    "responses": {
        202: OpenApiResponse(
            s.InvoiceRequestSerializer,
            examples=[
                example(
                    "queued",
                    {"status": "queued", "poll_url": INVOICE_EXAMPLE["pdf_url"].rsplit("42/", 1)[0], "invoice": None},
                )
            ],
        ),
        **error_responses(
            {
                404: [ErrorCode.NOT_FOUND],
                409: ([ErrorCode.INVOICE_NOT_AVAILABLE], "The order was never paid: it cannot be invoiced."),
            }
        ),
    },
}
INVOICES_PDF = {
    "operation_id": "invoices_order_pdf",
    "summary": "Download the invoice's PDF",
    "responses": {
        (200, "application/pdf"): OpenApiResponse(s.PDF, description="The PDF, as an attachment"),
        **error_responses({404: ([ErrorCode.NOT_FOUND], "No such order or invoice, or its PDF is not made yet.")}),
    },
}

register_link(
    "invoices_order_request",
    "202",
    "invoices_order_list",
    tenant_slug="$request.path.tenant_slug",
    number="$request.path.number",
)
