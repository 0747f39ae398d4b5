"""Issue 13, item 13: the API reference groups operations by resource (real tags, Redoc's
x-tagGroups) and links a getting-started guide (token, refresh, a first call, paging, errors,
idempotency) that is served as a page of its own."""

import re

import pytest

from apps.core.schema_tags import TAG_DESCRIPTIONS, tag_for_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema/?format=json").json()


def test_every_operation_has_a_described_resource_tag(schema):
    tags_used = set()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert len(operation["tags"]) == 1, (path, method)
                tag = operation["tags"][0]
                assert tag in TAG_DESCRIPTIONS, (path, method, tag)  # never the path's "t"
                tags_used.add(tag)
    assert {t["name"] for t in schema["tags"]} == tags_used
    grouped = [t for group in schema["x-tagGroups"] for t in group["tags"]]
    assert sorted(grouped) == sorted(tags_used)  # each tag in exactly one group
    assert len(tags_used) >= 12


@pytest.mark.parametrize(
    ("path", "tag"),
    [
        ("/api/v1/t/{tenant_slug}/catalog/products/{id}/variants/", "Variants"),
        ("/api/v1/t/{tenant_slug}/catalog/products/bulk", "Products"),
        ("/api/v1/t/{tenant_slug}/catalog/public/products/", "Storefront catalog"),
        ("/api/v1/t/{tenant_slug}/orders/mine/", "My orders"),
        ("/api/v1/t/{tenant_slug}/", "Shops"),
        ("/api/v1/t/{tenant_slug}/leave", "Members"),
        ("/api/v1/nowhere", None),
    ],
)
def test_tag_rules(path, tag):
    assert tag_for_path(path) == tag


@pytest.mark.parametrize("heading", ["Get a token", "Refresh it", "A first call", "Paging", "Errors", "idempotency"])
def test_getting_started_page_has_the_numbered_section(client, heading):
    body = client.get("/api/v1/docs/getting-started/").content.decode()
    assert re.search(rf"<h2>\d\. [^<]*{heading}", body, re.I), heading


def test_getting_started_page(client, schema):
    response = client.get("/api/v1/docs/getting-started/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Getting started with the Bazaar API</h1>" in body
    assert "http://testserver/api/v1/auth/token" in body and "Idempotency-Key" in body
    assert "<pre><code" in body and 'href="/api/v1/docs/"' in body
    assert "5 minutes" in body and "7 days" in body  # the settings' lifetimes, not hard-coded text
    # linked from the reference: the schema's description and the docs page itself
    assert "/api/v1/docs/getting-started/" in schema["info"]["description"]
    assert 'href="/api/v1/docs/getting-started/"' in client.get("/api/v1/docs/").content.decode()
