"""Lean paths (apps/core/fast_paths.py): a registered view answered without the session, CSRF,
auth and messages middleware, only for anonymous callers; errors keep the API's shape."""

import pytest
from django.test import Client

from apps.core.fast_paths import register_fast_path, unregister_fast_path

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_page_cache")]

LEAN = "/probe-lean/"


@pytest.fixture(autouse=True)
def lean_probe():
    register_fast_path("probe-lean", methods=("POST",))
    yield
    unregister_fast_path("probe-lean")


def test_anonymous_post_skips_session_and_auth(client):
    response = client.post(LEAN, HTTP_X_REQUEST_ID="lean-request-1")
    assert response.json() == {"session": False, "user": False}
    assert response["X-Request-ID"] == "lean-request-1" and "Content-Security-Policy" in response


def test_signed_in_or_bearer_callers_and_other_methods_take_the_whole_stack(client, user):
    assert Client().post(LEAN, HTTP_AUTHORIZATION="Bearer x").json()["user"] is True
    assert client.get(LEAN).json()["session"] is True
    client.force_login(user)
    assert client.post(LEAN).json() == {"session": True, "user": True}


def test_unregistered_name_takes_the_whole_stack(client):
    unregister_fast_path("probe-lean")
    assert client.post(LEAN).json()["session"] is True


def test_crash_on_the_lean_path_is_the_generic_500(client):
    response = Client(raise_request_exception=False).post(LEAN + "?crash=1")
    assert response.status_code == 500 and response.json()["error"]["code"]


def test_bad_host_is_refused_on_the_lean_path():
    assert Client().post(LEAN, HTTP_HOST="evil.example").status_code == 400


def test_unknown_path_still_404s(client):
    assert client.post("/probe-nothing-here/").status_code == 404


def test_analytics_ingest_is_registered(client, tenant):
    response = client.post(f"/api/v1/t/{tenant.slug}/analytics/events", data="{}", content_type="text/plain")
    assert response.status_code in (400, 401) and response.json()["error"]["code"]


def test_a_path_outside_the_registered_prefix_is_not_resolved(client):
    register_fast_path("probe-lean", methods=("POST",), path_prefix="/elsewhere/")
    assert client.post(LEAN).json()["session"] is True


def test_public_catalog_reads_are_registered_and_answer(client, tenant):
    response = client.get(f"/api/v1/t/{tenant.slug}/catalog/public/products/")
    assert response.status_code == 200 and response.json()["results"] == []
    assert client.get("/api/v1/t/no-such-shop/catalog/public/products/").json()["error"]["code"] == "not_found"
