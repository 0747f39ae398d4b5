"""One error contract for everything under ``/api/``.

Every non-2xx API response has the shape::

    {"error": {"code": "validation_error", "message": "...", "details": {...}, "request_id": "..."}}

Services raise :class:`ApplicationError` (or Django's ``ValidationError`` / ``PermissionDenied`` /
``Http404``); DRF exceptions go through :func:`api_exception_handler`; anything that escapes a view
is turned into this shape by ``apps.core.middleware.ApiErrorMiddleware``; Django's own 404/500
handlers (``apps.core.views``) answer in the same shape for ``/api/`` paths.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf

from apps.core.context import get_request_id

logger = logging.getLogger("bazaar.errors")

# Default code and message for each status, used when nothing more specific is known.
STATUS_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_authenticated", "Authentication credentials were not provided or are invalid."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed on this resource."),
    406: ("not_acceptable", "The requested response format is not available."),
    409: ("conflict", "The request conflicts with the current state of the resource."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "The request's content type is not supported."),
    429: ("throttled", "Too many requests. Try again later."),
    500: ("server_error", "Something went wrong on our side. Quote the request id if you contact us."),
    503: ("service_unavailable", "A service this request needs is unavailable. Try again shortly."),
}


class ErrorCode(StrEnum):
    """Every ``error.code`` the API can answer: the one vocabulary (``docs/api.md`` lists it).

    Add a member here before raising a new code; values are the wire strings and never change.
    """

    # Generic, one per status (``STATUS_CODES``).
    BAD_REQUEST = "bad_request"
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    CONFLICT = "conflict"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"
    SERVICE_UNAVAILABLE = "service_unavailable"
    VALIDATION_ERROR = "validation_error"
    MALFORMED_REQUEST = "malformed_request"
    CSRF_FAILED = "csrf_failed"
    # Accounts and tokens.
    INVALID_CREDENTIALS = "invalid_credentials"
    INACTIVE = "inactive"
    EMAIL_UNVERIFIED = "email_unverified"
    LOCKED_OUT = "locked_out"
    TOKEN_STORE_UNAVAILABLE = "token_store_unavailable"
    MFA_REQUIRED = "mfa_required"
    MFA_CHALLENGE_INVALID = "mfa_challenge_invalid"
    INVALID_MFA_CODE = "invalid_mfa_code"
    REAUTHENTICATION_REQUIRED = "reauthentication_required"
    LINK_EXPIRED = "link_expired"
    INVALID_TOKEN = "invalid_token"
    TOKEN_REVOKED = "token_revoked"
    TOKEN_REUSED = "token_reused"
    # Tenants and members.
    LAST_OWNER = "last_owner"
    ALREADY_MEMBER = "already_member"
    TOO_MANY_INVITATIONS = "too_many_invitations"
    INVITATION_NOT_FOUND = "invitation_not_found"
    INVITATION_CLOSED = "invitation_closed"
    INVITATION_EMAIL_MISMATCH = "invitation_email_mismatch"
    INVITATION_USED = "invitation_used"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_EXPIRED = "invitation_expired"
    CROSS_TENANT = "cross_tenant"
    TENANT_SUSPENDED = "tenant_suspended"
    # Analytics.
    INVALID_INGEST_KEY = "invalid_ingest_key"
    # Orders: carts, checkout, placing (``details`` say which lines or fields).
    OUT_OF_STOCK = "out_of_stock"
    PRICE_CHANGED = "price_changed"
    INVALID_ADDRESS = "invalid_address"
    CART_EMPTY = "cart_empty"
    CART_CLOSED = "cart_closed"
    CART_LIMIT = "cart_limit"
    PRODUCT_UNAVAILABLE = "product_unavailable"
    CHECKOUT_INCOMPLETE = "checkout_incomplete"
    SHIPPING_UNAVAILABLE = "shipping_unavailable"
    PAYMENT_METHOD_UNAVAILABLE = "payment_method_unavailable"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INVALID_TRANSITION = "invalid_transition"
    ERASURE_STARTED = "erasure_started"
    # Promotions: why a voucher code does not apply (400 unknown code, 409 the others).
    VOUCHER_INVALID = "voucher_invalid"
    VOUCHER_NOT_STARTED = "voucher_not_started"
    VOUCHER_EXPIRED = "voucher_expired"
    VOUCHER_USED_UP = "voucher_used_up"
    VOUCHER_ALREADY_USED = "voucher_already_used"
    VOUCHER_BELOW_MINIMUM = "voucher_below_minimum"
    VOUCHER_NOT_APPLICABLE = "voucher_not_applicable"
    # Payments.
    INVALID_SIGNATURE = "invalid_signature"
    PROVIDER_ERROR = "provider_error"
    PROVIDER_NOT_CONFIGURED = "provider_not_configured"
    NOT_MANUAL_PAYMENT = "not_manual_payment"
    # After-sales (fulfilment, refunds, returns).
    NOT_REFUNDABLE = "not_refundable"  # no collected payment to refund (unpaid, cancelled before payment)
    REFUND_EXCEEDS_CHARGE = "refund_exceeds_charge"  # details.refundable: what may still be refunded
    # Invoices and order exports.
    INVOICE_NOT_AVAILABLE = "invoice_not_available"


class ApplicationError(Exception):
    """An expected failure raised by a service, carrying its API status, code and details.

    Prefer the subclasses (:class:`NotFound`, :class:`Conflict`, :class:`Invalid`, :class:`Throttled`) and an
    :class:`ErrorCode` member for ``code``.
    """

    default_status = 400
    default_code: str = ErrorCode.BAD_REQUEST

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = str(code or self.default_code)
        self.status = status or self.default_status
        self.details = details or {}


class NotFound(ApplicationError):
    """The thing does not exist *for this caller* (also what a non-member is told): 404."""

    default_status = 404
    default_code = ErrorCode.NOT_FOUND

    def __init__(self, message: str = "Not found.", **kwargs):
        super().__init__(message, **kwargs)


class Conflict(ApplicationError):
    """The request is valid but clashes with the current state (sold out, duplicate, last owner): 409."""

    default_status = 409
    default_code = ErrorCode.CONFLICT


class Invalid(ApplicationError):
    """Field errors: ``details`` maps a field name (or ``non_field_errors``) to a list of messages: 400.

    ``Invalid({"quantity": ["Enter a whole number from 1 to 50."]})`` -- the message defaults to
    the first field's first message, the way DRF validation errors read.
    """

    default_status = 400
    default_code = ErrorCode.VALIDATION_ERROR

    def __init__(self, details: dict[str, list[str]], message: str | None = None, **kwargs):
        details = {
            field: list(messages) if isinstance(messages, (list, tuple)) else [str(messages)]
            for field, messages in details.items()
        }
        super().__init__(message or _first_message(details), details=details, **kwargs)


class Throttled(ApplicationError):
    """Over a rate limit: 429 with ``Retry-After`` (seconds) and ``details.retry_after``.

    Services raise this rather than DRF's ``Throttled``, so that limits live in the service layer
    without an import of the API framework."""

    default_status = 429
    default_code = ErrorCode.THROTTLED

    def __init__(self, message: str = STATUS_CODES[429][1], *, retry_after: int, **kwargs):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, details={"retry_after": self.retry_after}, **kwargs)


def error_body(code: str, message: str, details: dict | None = None) -> dict[str, Any]:
    """The error document for ``code``/``message``, stamped with the current request id."""
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details or {},
            "request_id": get_request_id(),
        }
    }


def error_response(
    status: int,
    code: str | None = None,
    message: str | None = None,
    details: dict | None = None,
    headers: dict | None = None,
) -> JsonResponse:
    """A ``JsonResponse`` in the error shape; code and message default from the status."""
    default_code, default_message = STATUS_CODES.get(status, ("error", HTTPStatus(status).phrase))
    response = JsonResponse(error_body(code or default_code, message or default_message, details), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _validation_details(detail: Any) -> dict:
    """DRF's nested error detail as a plain dict of field -> list of messages."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def _flatten(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _flatten(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_flatten(item) for item in value]
    return str(value)


def _django_validation_details(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(message) for error in errors for message in error.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(message) for message in exc.messages]}


def _first_message(details: dict) -> str:
    for field, messages in details.items():
        while isinstance(messages, (list, dict)) and messages:
            messages = messages[0] if isinstance(messages, list) else next(iter(messages.values()))
        if isinstance(messages, str):
            return messages if field == "non_field_errors" else f"{field}: {messages}"
    return "Invalid input."


def exception_to_response(exc: Exception) -> JsonResponse | None:
    """Map a known exception to an error response; ``None`` for anything unexpected."""
    if isinstance(exc, Throttled):
        headers = {"Retry-After": str(exc.retry_after)}
        return error_response(exc.status, exc.code, exc.message, exc.details, headers)
    if isinstance(exc, ApplicationError):
        return error_response(exc.status, exc.code, exc.message, exc.details)
    if isinstance(exc, drf.ValidationError):
        details = _validation_details(exc.detail)
        return error_response(400, "validation_error", _first_message(details), details)
    if isinstance(exc, DjangoValidationError):
        details = _django_validation_details(exc)
        return error_response(400, "validation_error", _first_message(details), details)
    if isinstance(exc, drf.Throttled):
        headers = {"Retry-After": str(int(exc.wait or 1))} if exc.wait is not None else {"Retry-After": "1"}
        return error_response(429, "throttled", str(exc.detail), {"retry_after": int(exc.wait or 1)}, headers)
    if isinstance(exc, drf.NotAuthenticated):
        return error_response(401, "not_authenticated", str(exc.detail))
    if isinstance(exc, drf.AuthenticationFailed):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "authentication_failed"
        return error_response(401, code, str(exc.detail))
    if isinstance(exc, drf.PermissionDenied | PermissionDenied):
        message = str(getattr(exc, "detail", "") or exc) or STATUS_CODES[403][1]
        code = exc.get_codes() if isinstance(exc, drf.PermissionDenied) and isinstance(exc.get_codes(), str) else None
        return error_response(403, code if code and code != "permission_denied" else "permission_denied", message)
    if isinstance(exc, drf.NotFound | Http404):
        return error_response(404, "not_found", "Not found.")
    if isinstance(exc, drf.MethodNotAllowed):
        return error_response(405, "method_not_allowed", str(exc.detail))
    if isinstance(exc, drf.UnsupportedMediaType):
        return error_response(415, "unsupported_media_type", str(exc.detail))
    if isinstance(exc, drf.NotAcceptable):
        return error_response(406, "not_acceptable", str(exc.detail))
    if isinstance(exc, drf.ParseError):
        return error_response(400, "malformed_request", str(exc.detail))
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, "payload_too_large", STATUS_CODES[413][1])
    if isinstance(exc, SuspiciousOperation):
        return error_response(400, "bad_request", STATUS_CODES[400][1])
    if isinstance(exc, drf.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else STATUS_CODES.get(exc.status_code, ("error",))[0]
        return error_response(exc.status_code, code, str(exc.detail))
    return None


def api_exception_handler(exc: Exception, context: dict) -> JsonResponse | None:
    """DRF ``EXCEPTION_HANDLER``: known errors in the shape; unknown ones re-raised.

    Returning ``None`` lets DRF re-raise, so that ``ApiErrorMiddleware`` logs the exception, sends
    it to Sentry and answers a generic 500.
    """
    response = exception_to_response(exc)
    if response is not None and response.status_code == 401:
        response["WWW-Authenticate"] = getattr(exc, "auth_header", None) or 'Bearer realm="api"'
    return response
