"""POST /auth/register, the email_unverified gate, GET/PATCH /me, session auth with CSRF."""

import re

import pytest
from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from apps.accounts.models import User
from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def register(api, **payload):
    body = {"email": "new@example.com", "password": STRONG_PASSWORD, "name": "Newcomer", **payload}
    return api.post("/api/v1/auth/register", body, format="json")


def test_register_then_verify_then_tokens(api, mailoutbox, client, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the email task is published after commit
        response = register(api)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["email"] == "new@example.com" and body["status"] == "verification_sent"
    assert set(body) == {"email", "status", "message"}
    assert User.objects.get(email="new@example.com").name == "Newcomer"

    # Tokens are refused until the address is verified.
    refused = login(email="new@example.com", expect=403)
    assert refused["error"]["code"] == "email_unverified"

    # The verification mail went through the Celery task (eager in tests) into the outbox.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.com"]
    assert mailoutbox[0].subject.startswith("[Bazaar] ")
    assert "Hello from Bazaar!" in mailoutbox[0].body and "example.com!" not in mailoutbox[0].body
    link = re.search(r"https?://testserver(/accounts/confirm-email/\S+/)", mailoutbox[0].body).group(1)
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified

    tokens = login(email="new@example.com")
    assert "access" in tokens


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": "1234567890123"}, "password"),
        ({"password": "new@example.com"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "x" * 250 + "@example.com"}, "email"),
        ({"email": ""}, "email"),
        ({"name": "n" * 151}, "name"),
        ({"name": "zero\u200bwidth"}, "name"),
    ],
)
def test_register_bad_input_is_a_clear_error_and_creates_nothing(api, payload, field, mailoutbox):
    response = register(api, **payload)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]
    assert error["details"][field][0]
    assert User.objects.count() == 0
    assert mailoutbox == []


def test_register_password_messages_are_djangos(api):
    error = register(api, password="short").json()["error"]
    assert any("too short" in message for message in error["details"]["password"])


def test_register_duplicate_email_answers_like_a_new_one(
    api, verified_user, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 10 item 8: no enumeration; the owner of the address is told by email instead."""
    with django_capture_on_commit_callbacks(execute=True):  # the email task is published after commit
        taken = register(api, email="ADA@example.com")
        fresh = register(api, email="fresh@example.com")
    assert taken.status_code == fresh.status_code == 202
    assert {k: v for k, v in taken.json().items() if k != "email"} == {
        k: v for k, v in fresh.json().items() if k != "email"
    }
    assert User.objects.filter(email__iexact="ada@example.com").count() == 1
    verified_user.refresh_from_db()
    assert verified_user.name == "Ada" and verified_user.check_password(STRONG_PASSWORD)  # unchanged
    to_owner = [m for m in mailoutbox if m.to == ["ada@example.com"]]
    assert len(to_owner) == 1 and "already" in (to_owner[0].subject + to_owner[0].body).lower()
    # Bad input is refused the same way for a taken address as for a new one.
    assert register(api, email="ada@example.com", password="short").status_code == 400


def test_me_get_and_patch(api, verified_user, login):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login()['access']}")
    assert api.get("/api/v1/me").json()["name"] == "Ada"
    response = api.patch("/api/v1/me", {"name": "Ada King"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Ada King"
    assert User.objects.get(pk=verified_user.pk).name == "Ada King"


@pytest.mark.parametrize(
    "bad", [{"name": "k" * 151}, {}, {"name": "bell\x07"}], ids=["too-long", "empty", "control-char"]
)
def test_me_patch_refuses_a_bad_name_and_keeps_the_old_one(api, verified_user, login, bad):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login()['access']}")
    response = api.patch("/api/v1/me", bad, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["details"]
    assert User.objects.get(pk=verified_user.pk).name == "Ada"


def test_me_needs_authentication(api):
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_browser_session_can_call_the_api_with_csrf(verified_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(verified_user)
    assert client.get("/api/v1/me").status_code == 200
    refused = client.patch("/api/v1/me", {"name": "No CSRF"}, format="json")
    assert refused.status_code == 403
    page = client.get("/account/")
    token = page.cookies["csrftoken"].value
    allowed = client.patch("/api/v1/me", {"name": "With CSRF"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert allowed.status_code == 200
    assert allowed.json()["name"] == "With CSRF"


def test_auth_endpoints_are_throttled(api, verified_user, settings):
    from django.core.cache import caches

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}  # read live
    caches["tokens"].clear()  # the auth scope counts in the token store (fails closed)
    responses = [api.post("/api/v1/auth/token/refresh", {"refresh": "x"}, format="json") for _ in range(4)]
    assert [response.status_code for response in responses] == [401, 401, 401, 429]
    assert responses[3].json()["error"]["code"] == "throttled"
    assert int(responses[3]["Retry-After"]) > 0
