"""OpenAPI: the one error contract on every operation, and the helpers each app's ``api/schema.py`` uses.

Apps declare their operations' documentation in ``apps/<app>/api/schema.py`` with:

- :func:`error_responses` — the statuses an operation answers beyond the generic ones, each with the
  :class:`~apps.core.errors.ErrorCode` members it can carry (``{409: [ErrorCode.LAST_OWNER]}``);
- :func:`example` — a request or response example;
- :func:`documented` — a serializer field's schema as the *service* enforces it (pattern, lengths,
  enum), without adding a second validation with different messages.

Post-processing hooks (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``): :func:`add_error_responses`
adds the ``ApiError`` component and, to every operation, the generic error statuses it can answer
with (unless the operation documented that status itself); :func:`keep_json_bodies` documents
request bodies as JSON only where JSON is accepted. ``apps.core.schema_links`` adds the OpenAPI
links. The schema then matches what clients (and schemathesis, ``tests/contract``) actually receive.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_serializer,
)
from rest_framework import serializers

from apps.core.errors import STATUS_CODES, ErrorCode

ERROR_COMPONENT = "ApiError"  # distinct from any serializer-named component
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every non-2xx response under /api/ has this shape.",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details", "request_id"],
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable, machine-readable; one of the ErrorCode values (docs/api.md)",
                    "example": "validation_error",
                },
                "message": {"type": "string", "description": "For people; may change"},
                "details": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Per-field messages for validation errors, or error-specific data",
                },
                "request_id": {"type": "string", "nullable": True, "description": "Quote it when reporting a problem"},
            },
        }
    },
}
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}

# The codes every operation may answer with, per status (the generic part of the contract).
GENERIC_CODES: dict[int, tuple[str, ...]] = {
    400: (ErrorCode.VALIDATION_ERROR, ErrorCode.MALFORMED_REQUEST, ErrorCode.BAD_REQUEST),
    401: (ErrorCode.NOT_AUTHENTICATED, ErrorCode.AUTHENTICATION_FAILED, ErrorCode.INVALID_TOKEN),
    403: (ErrorCode.PERMISSION_DENIED, ErrorCode.CSRF_FAILED),
    404: (ErrorCode.NOT_FOUND,),
    405: (ErrorCode.METHOD_NOT_ALLOWED,),
    406: (ErrorCode.NOT_ACCEPTABLE,),
    413: (ErrorCode.PAYLOAD_TOO_LARGE,),
    415: (ErrorCode.UNSUPPORTED_MEDIA_TYPE,),
    429: (ErrorCode.THROTTLED,),
    500: (ErrorCode.SERVER_ERROR,),
    503: (ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.TOKEN_STORE_UNAVAILABLE),
}
# Statuses every operation can answer with, and those only operations that take a body can.
EVERY_OPERATION = (400, 401, 403, 404, 405, 406, 429, 500, 503)
WITH_BODY = (413, 415)
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
JSON = "application/json"

LIMIT_DESCRIPTION = "Page size, a whole number from 1 to 100 (400 otherwise)"


def _codes_text(codes: Iterable[str]) -> str:
    return ", ".join(f"`{code}`" for code in dict.fromkeys(str(code) for code in codes))


def error_response_object(status: int, codes: Iterable[str] = (), description: str = "") -> dict:
    """The OpenAPI response object (raw, for the post-processing hook) for an error status."""
    codes = tuple(codes) or GENERIC_CODES.get(status, (STATUS_CODES.get(status, ("error",))[0],))
    text = description or STATUS_CODES.get(status, ("error", "Error"))[1]
    response = {
        "description": f"{text} Error codes: {_codes_text(codes)}.",
        "content": {JSON: {"schema": ERROR_REF}},
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying"}
        }
    return response


def error_response(status: int, codes: Iterable[str], description: str = "") -> OpenApiResponse:
    """An ``extend_schema`` response for an error status, naming the error codes it carries."""
    codes = tuple(codes)
    text = description or STATUS_CODES.get(status, ("error", "Error"))[1]
    example = {"error": {"code": str(codes[0]), "message": text, "details": {}, "request_id": "0f8fad5bd9cb469f"}}
    return OpenApiResponse(
        response=ApiErrorSerializer,
        description=f"{text} Error codes: {_codes_text(codes)}.",
        examples=[OpenApiExample(str(codes[0]), example, status_codes=[str(status)], response_only=True)],
    )


def error_responses(spec: Mapping[int, Iterable[str] | tuple[Iterable[str], str]]) -> dict[int, OpenApiResponse]:
    """``{status: [codes]}`` or ``{status: ([codes], description)}`` -> ``extend_schema`` responses.

    The generic codes of a status (``GENERIC_CODES``) are listed with the specific ones, since an
    operation that answers ``409 last_owner`` can still answer ``400 validation_error``.
    """
    responses = {}
    for status, value in spec.items():
        codes, description = value if isinstance(value, tuple) else (value, "")
        responses[status] = error_response(status, [*codes, *GENERIC_CODES.get(status, ())], description)
    return responses


def example(name: str, value: Any, **kwargs) -> OpenApiExample:
    """A named request or response example (``request_only=True`` / ``response_only=True``)."""
    return OpenApiExample(name, value=value, **kwargs)


def documented(field, **schema):
    """Give a serializer ``field`` the OpenAPI schema its service enforces, and return the field.

    ``schema`` is merged over what drf-spectacular derives from the field (``{"type": "string"}``
    unless ``type=`` says otherwise): ``documented(CharField(), pattern="^[a-z]+$", maxLength=50)``.
    The serializer does not validate more because of this: the service stays the one place a rule
    and its message live. (Serializers deep-copy fields by re-instantiating their class, so the
    schema rides on a one-off subclass; :class:`BazaarAutoSchema` applies it.)
    """
    schema.setdefault("type", "string")
    field.__class__ = type(type(field).__name__, (type(field),), {"documented_schema": schema})
    return field


class BazaarAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the constraints fields declare with :func:`documented`."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        extra = getattr(type(field), "documented_schema", None)
        if extra and schema is not None and "$ref" not in schema:
            schema.update(copy.deepcopy(extra))
        return schema


def limit_parameter(default: int) -> OpenApiParameter:
    """The ``?limit=`` query parameter of a cursor-paginated list."""
    return OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": 100},
        description=f"{LIMIT_DESCRIPTION}; default {default}",
    )


def add_error_responses(result: dict, generator=None, request=None, public=None) -> dict:
    """drf-spectacular post-processing hook: the error component and error responses everywhere."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            statuses = EVERY_OPERATION + (WITH_BODY if method in {"post", "put", "patch"} else ())
            for status in statuses:
                if status == 503 and "{tenant_slug}" in path:  # a shop's operations: it may be suspended
                    codes = (*GENERIC_CODES[503], ErrorCode.TENANT_SUSPENDED)
                    responses.setdefault("503", error_response_object(503, codes))
                    continue
                responses.setdefault(str(status), error_response_object(status))
    return result


def keep_json_bodies(result: dict, generator=None, request=None, public=None) -> dict:
    """drf-spectacular post-processing hook: a body that may be JSON is documented as JSON only.

    The API still parses forms (``DEFAULT_PARSER_CLASSES``) for browsers, but clients are
    promised JSON; multipart stays documented where it is the only way in (image uploads).
    """
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {}) if method in HTTP_METHODS else {}
            if JSON in content and len(content) > 1:
                operation["requestBody"]["content"] = {JSON: content[JSON]}
    return result


@extend_schema_serializer(component_name=ERROR_COMPONENT)
class ApiErrorSerializer(serializers.Serializer):
    """Every non-2xx response under /api/ has this shape."""

    error = documented(serializers.DictField(), **ERROR_SCHEMA["properties"]["error"])
