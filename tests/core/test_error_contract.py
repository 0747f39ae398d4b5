"""Every non-2xx response under /api/ has one JSON shape; HTML errors are friendly pages with the
request id. Each case is raised for real by a probe view (tests/core/probe_views.py)."""

import json

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_probe")]

RID = "contract-test-0001"


def assert_error(response, status, code):
    """The response is the error document with this status and code, carrying the request id."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details", "request_id"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    assert error["request_id"] == RID == response["X-Request-ID"]
    return error


def test_drf_validation_error(client):
    response = client.post(
        "/api/probe/open/", {"name": "far too long a name", "quantity": -1}, "application/json", HTTP_X_REQUEST_ID=RID
    )
    error = assert_error(response, 400, "validation_error")
    assert set(error["details"]) == {"name", "quantity"}
    assert error["message"].startswith("name:")


def test_valid_input_passes(client):
    response = client.post("/api/probe/open/", {"name": "ok", "quantity": 2}, "application/json")
    assert response.status_code == 201
    assert response.json() == {"name": "ok", "quantity": 2}


def test_not_authenticated_is_401(client):
    response = client.get("/api/probe/private/", HTTP_X_REQUEST_ID=RID)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"]


def test_permission_denied_is_403(client, user):
    client.force_login(user)
    response = client.get("/api/probe/forbidden/", HTTP_X_REQUEST_ID=RID)
    error = assert_error(response, 403, "permission_denied")
    assert error["message"] == "Widgets are read-only for you."


def test_http404_from_a_service(client):
    error = assert_error(client.get("/api/probe/service/http404/", HTTP_X_REQUEST_ID=RID), 404, "not_found")
    assert "Widget" not in error["message"]  # Http404's text can name models: not shown


def test_permission_denied_from_a_service(client):
    error = assert_error(client.get("/api/probe/service/permission/", HTTP_X_REQUEST_ID=RID), 403, "permission_denied")
    assert error["message"] == "Only owners may archive widgets."


def test_django_validation_error_from_a_service(client):
    response = client.get("/api/probe/service/django_validation/", HTTP_X_REQUEST_ID=RID)
    error = assert_error(response, 400, "validation_error")
    assert error["details"] == {"sku": ["SKU already used in this shop."]}


def test_application_error_from_a_service(client):
    response = client.get("/api/probe/service/application/", HTTP_X_REQUEST_ID=RID)
    error = assert_error(response, 409, "insufficient_stock")
    assert error["message"] == "Stock cannot go below zero."
    assert error["details"] == {"available": 3}


def test_throttled_is_429_with_retry_after(client):
    assert client.get("/api/probe/throttled/").status_code == 200
    response = client.get("/api/probe/throttled/", HTTP_X_REQUEST_ID=RID)
    error = assert_error(response, 429, "throttled")
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    assert error["details"]["retry_after"] == retry_after


def test_unsupported_media_type_is_415(client):
    response = client.post("/api/probe/open/", "name=x", content_type="text/plain", HTTP_X_REQUEST_ID=RID)
    assert_error(response, 415, "unsupported_media_type")


def test_body_over_the_limit_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "x" * 2000, "quantity": 1})
    response = client.post("/api/probe/open/", body, content_type="application/json", HTTP_X_REQUEST_ID=RID)
    assert_error(response, 413, "payload_too_large")
    form = client.post(
        "/api/probe/open/",
        f"name={'y' * 2000}&quantity=1",
        content_type="application/x-www-form-urlencoded",
        HTTP_X_REQUEST_ID=RID,
    )
    assert_error(form, 413, "payload_too_large")


def test_body_at_the_limit_is_accepted(client, settings):
    body = json.dumps({"name": "x", "quantity": 1})
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body)
    assert client.post("/api/probe/open/", body, content_type="application/json").status_code == 201


def test_malformed_json_is_400(client):
    response = client.post("/api/probe/open/", '{"name": "x",', content_type="application/json", HTTP_X_REQUEST_ID=RID)
    assert_error(response, 400, "malformed_request")


def test_unknown_api_path_is_json_404(client):
    assert_error(client.get("/api/v1/nothing-here/", HTTP_X_REQUEST_ID=RID), 404, "not_found")
    assert_error(client.get("/api", HTTP_X_REQUEST_ID=RID), 404, "not_found")


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/probe/open/", HTTP_X_REQUEST_ID=RID)
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"] and "POST" in response["Allow"]


@pytest.mark.parametrize(
    "leak", ["Traceback", "RuntimeError", "psycopg", "SELECT", "secret_table", "probe_views", ".py"]
)
@pytest.mark.parametrize("path", ["/api/probe/service/crash/", "/api/probe/plain-crash/"])
def test_unhandled_exception_is_generic_500(path, leak):
    client = Client(raise_request_exception=False)
    response = client.get(path, HTTP_X_REQUEST_ID=RID)
    error = assert_error(response, 500, "server_error")
    assert leak not in response.content.decode()
    assert RID in error["message"] or error["request_id"] == RID


# --- HTML error pages -------------------------------------------------------------------------
def assert_html_error_page(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<main id="main"' in html  # rendered in the site's layout
    assert f'<code class="request-id">{RID}</code>' in html
    return html


def test_html_400_page():
    response = Client(raise_request_exception=False).get("/probe/bad-request/", HTTP_X_REQUEST_ID=RID)
    html = assert_html_error_page(response, 400)
    assert "secret detail" not in html


def test_html_403_page(client):
    assert_html_error_page(client.get("/probe/forbidden/", HTTP_X_REQUEST_ID=RID), 403)


def test_html_404_page(client):
    assert_html_error_page(client.get("/no/such/page/", HTTP_X_REQUEST_ID=RID), 404)


@pytest.mark.parametrize("leak", ["Traceback", "RuntimeError", "secret_table", "SELECT"])
def test_html_500_page(leak):
    response = Client(raise_request_exception=False).get("/probe/crash/", HTTP_X_REQUEST_ID=RID)
    html = assert_html_error_page(response, 500)
    assert leak not in html


def test_html_form_over_the_limit_is_413_page(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    client = Client(raise_request_exception=False)
    response = client.post("/probe/echo/", {"field": "z" * 500}, HTTP_X_REQUEST_ID=RID)
    assert_html_error_page(response, 413)


def test_plain_django_405_is_rewritten_into_the_shape(client):
    response = client.get("/api/probe/plain-post-only/", HTTP_X_REQUEST_ID=RID)
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_csrf_failure_under_api_is_json():
    response = Client(enforce_csrf_checks=True).post("/api/probe/plain-post-only/", HTTP_X_REQUEST_ID=RID)
    assert_error(response, 403, "csrf_failed")


def test_csrf_failure_on_a_page_is_the_403_page():
    response = Client(enforce_csrf_checks=True).post("/probe/post-only/", HTTP_X_REQUEST_ID=RID)
    html = assert_html_error_page(response, 403)
    assert "Form expired" in html


@pytest.mark.parametrize("declared", [None, "", "not-a-number"])
def test_bounded_read_without_a_usable_content_length(settings, declared):
    """Chunked bodies (no Content-Length) are still cut off at the limit."""
    import io
    from types import SimpleNamespace

    from django.core.exceptions import RequestDataTooBig

    from apps.core.parsers import read_bounded

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    request = SimpleNamespace(META={} if declared is None else {"CONTENT_LENGTH": declared})
    assert read_bounded(io.BytesIO(b"0123456789"), {"request": request}) == b"0123456789"
    with pytest.raises(RequestDataTooBig):
        read_bounded(io.BytesIO(b"0123456789X"), {"request": request})
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None  # no limit configured
    assert read_bounded(io.BytesIO(b"x" * 100), {"request": request}) == b"x" * 100


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unknown_api_path_is_404_for_every_method(method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v1/nothing-here/", HTTP_X_REQUEST_ID=RID)
    assert_error(response, 404, "not_found")


def test_bad_credentials_are_401_with_a_code(client):
    response = client.get("/api/probe/private/", HTTP_AUTHORIZATION="Bearer not-a-jwt", HTTP_X_REQUEST_ID=RID)
    error = assert_error(response, 401, response.json()["error"]["code"])
    assert error["code"] not in ("", "error")
    assert response["WWW-Authenticate"]
