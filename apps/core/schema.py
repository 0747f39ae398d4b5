"""OpenAPI: document the one error contract on every API operation.

A drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) adds the
``Error`` component and, to each operation, the error statuses it can answer with — unless the
view documented that status itself. The schema then matches what clients (and schemathesis)
actually receive.
"""

from __future__ import annotations

from apps.core.errors import STATUS_CODES

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
                "code": {"type": "string", "description": "Stable, machine-readable", "example": "validation_error"},
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
# Statuses every operation can answer with, and those only operations that take a body can.
EVERY_OPERATION = (400, 401, 403, 404, 405, 429, 500)
WITH_BODY = (413, 415)
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def error_response_object(status: int) -> dict:
    """The OpenAPI response object for an error status."""
    description = STATUS_CODES.get(status, ("error", "Error"))[1]
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}},
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying"}
        }
    return response


def add_error_responses(result: dict, generator=None, request=None, public=None) -> dict:
    """drf-spectacular post-processing hook: the error component and error responses everywhere."""
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            statuses = EVERY_OPERATION + (WITH_BODY if method in {"post", "put", "patch"} else ())
            for status in statuses:
                responses.setdefault(str(status), error_response_object(status))
    return result
