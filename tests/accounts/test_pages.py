"""allauth's HTML flows in our layout, with plain form posts: sign up, verify from the outbox,
log in, log out, profile, password change, TOTP two-factor."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache

from apps.accounts.models import User
from apps.core.crypto import decrypt_text
from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def totp_now(secret):
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("field", ["email", "password1", "password2", "name"])
def test_signup_form_labels_the_field(client, field):
    html = client.get("/accounts/signup/").content.decode()
    assert re.search(rf'<label for="id_{field}"', html), field


def test_signup_verify_login_logout(client, mailoutbox, django_capture_on_commit_callbacks):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="site-header"' in html and "css/accounts.css" in html

    with django_capture_on_commit_callbacks(execute=True):  # the email task is published after commit
        response = client.post(
            "/accounts/signup/",
            {
                "email": "Grace@Example.com",
                "name": "Grace Hopper",
                "password1": STRONG_PASSWORD,
                "password2": STRONG_PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="grace@example.com")
    assert user.name == "Grace Hopper"
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mailoutbox) == 1
    link = re.search(r"https?://testserver(/accounts/confirm-email/\S+/)", mailoutbox[0].body).group(1)
    confirm = client.get(link)
    assert confirm.status_code == 200
    assert b"<form" in confirm.content
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/", {"login": "grace@example.com", "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_errors_are_beside_the_fields_and_keep_input(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "bad-email", "name": "n" * 151, "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="field-error"') >= 2
    assert 'value="bad-email"' in html
    assert User.objects.count() == 0


def test_unverified_user_cannot_log_in_and_is_sent_to_verification(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    from apps.accounts import services

    services.create_user(email="late@example.com", password=STRONG_PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):  # the email task is published after commit
        response = client.post("/accounts/login/", {"login": "late@example.com", "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1


def test_login_wrong_password_shows_error(client, verified_user):
    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert b"form-errors" in response.content


@pytest.mark.parametrize("link", ["/accounts/password/change/", "/accounts/2fa/", "/privacy/"])
def test_profile_page_links_to(client, verified_user, link):
    client.force_login(verified_user)
    assert link in client.get("/account/").content.decode()


def test_profile_page(client, verified_user):
    assert client.get("/account/").status_code == 302  # anonymous -> login
    client.force_login(verified_user)
    page = client.get("/account/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "verified" in html
    assert '<label for="id_name"' in html

    response = client.post("/account/", {"name": "Ada, Countess"})
    assert response.status_code == 302
    assert User.objects.get(pk=verified_user.pk).name == "Ada, Countess"

    bad = client.post("/account/", {"name": "x" * 151})
    assert bad.status_code == 200
    assert b"field-error" in bad.content
    assert User.objects.get(pk=verified_user.pk).name == "Ada, Countess"


def test_profile_sign_out_everywhere(client, verified_user, login):
    from rest_framework.test import APIClient

    access = login()["access"]
    client.force_login(verified_user)
    assert client.post("/account/sign-out-everywhere").status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize(
    "url", ["/accounts/password/change/", "/accounts/email/", "/accounts/2fa/", "/accounts/password/reset/"]
)
def test_manage_pages_render_in_layout(client, verified_user, url):
    client.post("/accounts/login/", {"login": "ada@example.com", "password": STRONG_PASSWORD})
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'class="site-header"' in html, url
    assert "style=" not in html, url
    assert "<script>" not in html, url


def test_totp_two_factor_activation_and_login(client, verified_user):
    client.post("/accounts/login/", {"login": "ada@example.com", "password": STRONG_PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302:  # allauth asks for the password again before security changes
        assert page["Location"].startswith("/accounts/reauthenticate/")
        again = client.post(page["Location"], {"password": STRONG_PASSWORD})
        assert again.status_code == 302
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert b'class="site-header"' in page.content
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302, response.content
    stored = Authenticator.objects.get(user=verified_user, type="totp").data["secret"]
    assert stored != secret and stored.startswith("gAAAAA")  # encrypted at rest (MFAAdapter)
    assert decrypt_text(stored) == secret

    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    cache.clear()  # allauth refuses to accept the same code twice within its period
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if totp_now(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(verified_user.pk)


def test_rotate_command_also_rotates_mfa_secrets(settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from apps.accounts import services
    from apps.core.crypto import encrypt_text

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    user = services.create_user(email="mfa@example.com", password=None, name="Named")
    authenticator = Authenticator.objects.create(
        user=user, type="totp", data={"secret": encrypt_text("JBSWY3DPEHPK3PXP")}
    )
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_keys")
    settings.FIELD_ENCRYPTION_KEYS = [new]
    authenticator.refresh_from_db()
    assert decrypt_text(authenticator.data["secret"]) == "JBSWY3DPEHPK3PXP"
    assert User.objects.get(pk=user.pk).name == "Named"
