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


def _operation(schema, operation_id):
    for item in schema["paths"].values():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return operation
    raise AssertionError(f"no operation {operation_id}")


def test_specific_errors_carry_their_codes(schema):
    """A 409 an operation can answer is documented with the ErrorCode it carries."""
    assert "`last_owner`" in _operation(schema, "tenant_member_update")["responses"]["409"]["description"]
    assert "`conflict`" in _operation(schema, "catalog_categories_destroy")["responses"]["409"]["description"]
    assert "`invitation_expired`" in _operation(schema, "invitation_accept")["responses"]["410"]["description"]
    generic = _operation(schema, "tenant_retrieve")["responses"]["404"]
    assert generic["description"].endswith("Error codes: `not_found`.")


def test_links_lead_from_creating_and_listing_to_the_operations_taking_their_ids(schema):
    created = _operation(schema, "tenants_create")["responses"]["201"]["links"]
    assert created["catalog_products_create"]["parameters"] == {"tenant_slug": "$response.body#/slug"}
    listed = _operation(schema, "tenants_mine_list")["responses"]["200"]["links"]
    assert listed["tenant_retrieve"]["parameters"] == {"tenant_slug": "$response.body#/results/0/tenant/slug"}
    products = _operation(schema, "catalog_products_list")["responses"]["200"]["links"]
    assert products["catalog_variants_retrieve"]["parameters"] == {
        "id": "$response.body#/results/0/id",
        "tenant_slug": "$request.path.tenant_slug",
    }
    variants = _operation(schema, "catalog_variants_create")["responses"]["201"]["links"]
    assert variants["catalog_variants_destroy"]["parameters"]["variant_id"] == "$response.body#/id"
    invited = _operation(schema, "tenant_invitations_create")["responses"]["201"]["links"]
    assert invited["invitation_accept"]["parameters"] == {"token": "$response.body#/token"}


def test_bodies_are_documented_as_json_except_uploads(schema):
    assert list(_operation(schema, "tenants_create")["requestBody"]["content"]) == ["application/json"]
    assert list(_operation(schema, "catalog_images_create")["requestBody"]["content"]) == ["multipart/form-data"]


def test_fields_state_what_the_services_enforce(schema):
    components = schema["components"]["schemas"]
    slug = components["TenantCreateRequest"]["properties"]["slug"]
    assert (slug["minLength"], slug["maxLength"], slug["pattern"]) == (3, 50, "^[a-z0-9]+(?:-[a-z0-9]+)*$")
    assert "admin" in slug["not"]["enum"]
    currency = components["TenantCreateRequest"]["properties"]["currency"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert "EUR" in components[currency]["enum"]
    assert components["MemberUpdateRequest"]["required"] == ["role"]
    sku = components["VariantInputRequest"]["properties"]["sku"]
    assert sku["pattern"].startswith("^[A-Za-z0-9]")
    password = components["RegisterRequest"]["properties"]["password"]
    assert password["minLength"] == 10
    limit = next(p for p in _operation(schema, "tenant_members_list")["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


def test_keep_json_bodies_leaves_single_content_types_alone():
    from apps.core.schema import keep_json_bodies

    both = {"application/json": {"a": 1}, "multipart/form-data": {"b": 2}}
    only = {"multipart/form-data": {"b": 2}}
    result = keep_json_bodies(
        {"paths": {"/x": {"post": {"requestBody": {"content": both}}, "put": {"requestBody": {"content": only}}}}}
    )
    assert result["paths"]["/x"]["post"]["requestBody"]["content"] == {"application/json": {"a": 1}}
    assert result["paths"]["/x"]["put"]["requestBody"]["content"] == only
