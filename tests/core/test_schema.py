"""The OpenAPI schema documents the error contract on every operation."""

import pytest

from apps.core.schema import ERROR_SCHEMA

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_error_component_is_the_contract(schema):
    assert schema["components"]["schemas"]["ApiError"] == ERROR_SCHEMA
    assert ERROR_SCHEMA["properties"]["error"]["required"] == ["code", "message", "details", "request_id"]


def test_every_operation_documents_error_responses(schema):
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert operations
    for path, method, operation in operations:
        responses = operation["responses"]
        for status in ("400", "401", "403", "404", "429", "500"):
            assert status in responses, (path, method, status)
        if method in {"post", "put", "patch"}:
            assert "413" in responses and "415" in responses, (path, method)
        assert any(code.startswith("2") or code.startswith("3") for code in responses), (path, method)


def test_the_hook_keeps_what_a_view_documented():
    from apps.core.schema import add_error_responses

    own = {"description": "Custom conflict", "content": {}}
    result = add_error_responses({"paths": {"/x": {"post": {"responses": {"200": {}, "400": own}}, "parameters": []}}})
    responses = result["paths"]["/x"]["post"]["responses"]
    assert responses["400"] is own
    assert responses["415"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}
    assert responses["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer"}
    assert "413" not in result["paths"]["/x"].get("get", {}).get("responses", {})


def test_schema_is_valid_openapi_without_warnings(tmp_path):
    """drf-spectacular's own validation (OpenAPI 3 spec) and no generator warnings in any app."""
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "ApiError" in target.read_text()
