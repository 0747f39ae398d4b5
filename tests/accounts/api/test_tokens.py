"""Issue, refresh (rotation, reuse detection), logout and logout-all against the real Redis."""

import logging
import threading
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.accounts.token_store import get_token_store
from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def me(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/v1/me")


def refresh(api, token):
    return api.post("/api/v1/auth/token/refresh", {"refresh": token}, format="json")


@pytest.mark.parametrize(("client", "minutes"), [("web", 5), ("mobile", 15)])
def test_lifetimes_follow_the_client_type(verified_user, login, client, minutes):
    body = login(client=client)
    access, refresh_claims = claims(body["access"]), claims(body["refresh"])
    assert access["client"] == client
    assert access["exp"] - access["iat"] == minutes * 60
    assert refresh_claims["exp"] - refresh_claims["iat"] == 7 * 24 * 3600
    assert body["access_expires_at"].endswith("Z")
    assert set(body) == {"access", "refresh", "access_expires_at", "refresh_expires_at"}


@pytest.mark.parametrize(("client", "minutes"), [("web", 8), ("mobile", 19)])
def test_lifetimes_come_from_settings(verified_user, login, settings, client, minutes):
    settings.JWT_ACCESS_LIFETIME_WEB = timedelta(minutes=8)
    settings.JWT_ACCESS_LIFETIME_MOBILE = timedelta(minutes=19)
    access = claims(login(client=client)["access"])
    assert access["exp"] - access["iat"] == minutes * 60


def test_access_token_authenticates(verified_user, login):
    access = login()["access"]
    response = me(access)
    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.com"
    assert response.json()["email_verified"] is True


def forged_access(pair):
    """The access token's claims, one hour longer, signed with another key."""
    other_key = "a-different-key-of-sufficient-length-0123456789"
    access = claims(pair["access"])
    return jwt.encode({**access, "exp": access["exp"] + 3600}, other_key, algorithm="HS256")


@pytest.mark.parametrize(
    "make_bad",
    [forged_access, lambda pair: "garbage", lambda pair: pair["refresh"]],
    ids=["forged", "garbage", "refresh-token"],
)
def test_bad_access_tokens_are_refused(verified_user, login, make_bad):
    response = me(make_bad(login()))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_access_token_is_refused(verified_user, login, settings):
    settings.JWT_ACCESS_LIFETIME_WEB = timedelta(seconds=-1)
    response = me(login()["access"])
    assert response.status_code == 401


def test_refresh_rotates_and_reuse_revokes_the_family_only(verified_user, login, api, caplog):
    first = login()
    other_family = login(client="mobile")

    rotated = refresh(api, first["refresh"])
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh"] != first["refresh"] and second["access"] != first["access"]
    assert claims(second["refresh"])["fam"] == claims(first["refresh"])["fam"]
    assert claims(second["access"])["client"] == "web"
    assert second["refresh_expires_at"] == first["refresh_expires_at"]  # absolute family lifetime

    with caplog.at_level(logging.WARNING, logger="bazaar.accounts"):
        reused = refresh(api, first["refresh"])
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "token_reused"
    assert any(getattr(record, "security_event", None) == "refresh_token_reuse" for record in caplog.records)

    # The whole family is gone, including the successor minted before the reuse ...
    successor = refresh(api, second["refresh"])
    assert successor.status_code == 401
    assert successor.json()["error"]["code"] == "token_revoked"
    # ... but the other login of the same user still works.
    assert refresh(api, other_family["refresh"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_parallel_refreshes_give_exactly_one_success(verified_user, login):
    token = login()["refresh"]
    results, barrier = [], threading.Barrier(8)

    def race():
        client = APIClient()
        barrier.wait()
        try:
            results.append(refresh(client, token).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count(200) == 1, results
    assert all(code == 401 for code in results if code != 200)


def test_logout_revokes_that_family(verified_user, login, api):
    first, second = login(), login()
    response = api.post("/api/v1/auth/logout", {"refresh": first["refresh"]}, format="json")
    assert response.status_code == 204
    assert refresh(api, first["refresh"]).json()["error"]["code"] == "token_revoked"
    assert refresh(api, second["refresh"]).status_code == 200
    # idempotent
    assert api.post("/api/v1/auth/logout", {"refresh": first["refresh"]}, format="json").status_code == 204
    bad = api.post("/api/v1/auth/logout", {"refresh": "nonsense"}, format="json")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "invalid_token"


def test_logout_all_refuses_access_tokens_already_issued(verified_user, login, api):
    first, second = login(), login(client="mobile")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {first['access']}")
    assert client.post("/api/v1/auth/logout-all").status_code == 204

    for pair in (first, second):
        assert me(pair["access"]).status_code == 401
        assert refresh(api, pair["refresh"]).status_code == 401
    assert User.objects.get(pk=verified_user.pk).token_version == 1
    assert get_token_store().active_families(user_id=verified_user.pk) == 0
    # A new login works again.
    assert me(login()["access"]).status_code == 200


def test_logout_all_needs_authentication(api):
    response = api.post("/api/v1/auth/logout-all")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_password_change_page_revokes_tokens(verified_user, login, api, client):
    pair = login()
    client.force_login(verified_user)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": STRONG_PASSWORD, "password1": "new-violet-otter-99", "password2": "new-violet-otter-99"},
    )
    assert response.status_code == 302
    assert me(pair["access"]).status_code == 401
    assert refresh(api, pair["refresh"]).status_code == 401
    login(password="new-violet-otter-99")


def test_password_reset_flow_revokes_tokens(
    verified_user, login, api, client, mailoutbox, django_capture_on_commit_callbacks
):
    pair = login()
    with django_capture_on_commit_callbacks(execute=True):  # the email task is published after commit
        response = client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(word for word in mailoutbox[0].body.split() if "/accounts/password/reset/key/" in word)
    path = link.split("testserver", 1)[1]
    response = client.get(path)
    assert response.status_code == 302  # allauth moves the key into the session
    set_url = response["Location"]
    response = client.post(set_url, {"password1": "reset-violet-otter-7", "password2": "reset-violet-otter-7"})
    assert response.status_code == 302, response.content
    assert me(pair["access"]).status_code == 401
    assert refresh(api, pair["refresh"]).status_code == 401
    login(password="reset-violet-otter-7")


@pytest.mark.parametrize(
    "call",
    [
        lambda api, pair: api.post(
            "/api/v1/auth/token", {"email": "ada@example.com", "password": STRONG_PASSWORD}, format="json"
        ),
        lambda api, pair: refresh(api, pair["refresh"]),
        lambda api, pair: api.post("/api/v1/auth/logout", {"refresh": pair["refresh"]}, format="json"),
    ],
    ids=["login", "refresh", "logout"],
)
def test_token_store_down_fails_closed_with_503(verified_user, login, api, settings, call):
    pair = login()
    settings.TOKEN_STORE_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = call(api, pair)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "token_store_unavailable"
    settings.TOKEN_STORE_URL = settings.REDIS_URL
    assert refresh(api, pair["refresh"]).status_code == 200  # nothing was consumed while it was down


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/api/v1/auth/token", {"email": "ada@example.com", "password": STRONG_PASSWORD, "client": "tv"}, "client"),
        ("/api/v1/auth/token", {"email": "not-an-email", "password": "x"}, "email"),
        ("/api/v1/auth/token", {"email": "a" * 300 + "@example.com", "password": "x"}, "email"),
        ("/api/v1/auth/token", {"password": "x"}, "email"),
        ("/api/v1/auth/token/refresh", {}, "refresh"),
        ("/api/v1/auth/token/refresh", {"refresh": "x" * 5000}, "refresh"),
    ],
    ids=["unknown-client", "not-an-email", "email-too-long", "no-email", "no-refresh", "refresh-too-long"],
)
def test_bad_token_requests_get_the_error_shape(verified_user, api, url, payload, field):
    response = api.post(url, payload, format="json")
    assert response.status_code == 400, (payload, response.content)
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["details"]


@pytest.mark.parametrize("text", ["\u0000u", "garbage", "eyJhbGciOiJIUzI1NiJ9.e30.", " "])
@pytest.mark.parametrize("url", ["/api/v1/auth/token/refresh", "/api/v1/auth/logout"])
def test_any_text_that_is_not_an_issued_refresh_token_is_401_invalid_token(verified_user, login, api, url, text):
    """The schema says `refresh` is a string: every string the server did not issue (a null byte
    included) is the same 401 a mobile client handles as "sign in again", never a 400."""
    pair = login()
    response = api.post(url, {"refresh": text}, format="json")
    assert response.status_code == 401, response.content
    assert response.json()["error"]["code"] == "invalid_token"
    assert refresh(api, pair["refresh"]).status_code == 200  # the real session was not touched


@pytest.mark.parametrize("email", ["ada@example.com", "nobody@example.com"], ids=["known-email", "unknown-email"])
def test_wrong_password_is_401_and_unknown_email_the_same(verified_user, api, email):
    response = api.post("/api/v1/auth/token", {"email": email, "password": "wrong-password-1"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_signing_uses_the_configured_key(verified_user, login):
    access = login()["access"]
    decoded = jwt.decode(access, settings.JWT_SIGNING_KEY, algorithms=["HS256"])
    assert decoded["sub"] == str(verified_user.public_id)
    assert decoded["token_type"] == "access"
