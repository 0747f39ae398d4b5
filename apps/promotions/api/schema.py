"""OpenAPI documentation of the promotions staff API (the ``extend_schema`` arguments of each view
method), built on ``apps.core.schema``; the generic error statuses come from its post-processing."""

from __future__ import annotations

from apps.core.errors import ErrorCode
from apps.core.schema import error_responses, example
from apps.promotions.api.serializers import VoucherInputSerializer, VoucherSerializer

VOUCHER_EXAMPLE = {
    "id": 7,
    "code": "WINTER10",
    "description": "10 % off everything in December",
    "kind": "percentage",
    "value": "10.00",
    "min_subtotal": "30.00",
    "starts_at": "2026-12-01T00:00:00Z",
    "ends_at": "2027-01-01T00:00:00Z",
    "usage_limit": 500,
    "used_count": 12,
    "once_per_customer": True,
    "is_active": True,
    "products": [],
    "categories": [3],
    "created_at": "2026-11-30T09:00:00Z",
    "updated_at": "2026-11-30T09:00:00Z",
}
CREATE_EXAMPLE = {
    "code": "WINTER10",
    "kind": "percentage",
    "value": "10",
    "min_subtotal": "30.00",
    "starts_at": "2026-12-01T00:00:00Z",
    "ends_at": "2027-01-01T00:00:00Z",
    "usage_limit": 500,
    "once_per_customer": True,
    "categories": [3],
}
WRITE_ERRORS = {
    400: [ErrorCode.VALIDATION_ERROR],
    409: ([ErrorCode.CONFLICT], "A code the shop already has (in any case), or a usage limit below the uses so far."),
}

PROMOTIONS_VOUCHERS_LIST = {
    "operation_id": "promotions_vouchers_list",
    "summary": "The shop's vouchers, newest first",
    "responses": {200: VoucherSerializer(many=True)},
}
PROMOTIONS_VOUCHERS_CREATE = {
    "operation_id": "promotions_vouchers_create",
    "summary": "Create a voucher",
    "description": "Rules a schema cannot state (400): product and category ids must be this shop's; "
    "ends_at after starts_at; a fixed amount above 0; a percentage up to 100.",
    "request": VoucherInputSerializer,
    "examples": [
        example("create", CREATE_EXAMPLE, request_only=True),
        example("voucher", VOUCHER_EXAMPLE, response_only=True, status_codes=["201"]),
    ],
    "responses": {201: VoucherSerializer, **error_responses(WRITE_ERRORS)},
}
PROMOTIONS_VOUCHERS_RETRIEVE = {
    "operation_id": "promotions_vouchers_retrieve",
    "summary": "One voucher",
    "responses": {200: VoucherSerializer},
}
PROMOTIONS_VOUCHERS_UPDATE = {
    "operation_id": "promotions_vouchers_update",
    "summary": "Replace a voucher's fields (its uses are kept)",
    "description": PROMOTIONS_VOUCHERS_CREATE["description"],
    "request": VoucherInputSerializer,
    "examples": [example("update", CREATE_EXAMPLE, request_only=True)],
    "responses": {200: VoucherSerializer, **error_responses(WRITE_ERRORS)},
}
PROMOTIONS_VOUCHERS_DESTROY = {
    "operation_id": "promotions_vouchers_destroy",
    "summary": "Delete a voucher (one already used is deactivated instead: orders keep its code)",
    "responses": {204: None},
}
