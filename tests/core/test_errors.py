"""The error contract for paths under /api/ that reach no view."""

import pytest


@pytest.mark.django_db
def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing/", HTTP_X_REQUEST_ID="req-12345678")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["request_id"] == "req-12345678"
    assert response["X-Request-ID"] == "req-12345678"


@pytest.mark.django_db
def test_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response.status_code == 200
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_html_404_shows_request_id(client):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="page-404-abcdef")
    assert response.status_code == 404
    assert b"page-404-abcdef" in response.content
    assert response["Content-Type"].startswith("text/html")
