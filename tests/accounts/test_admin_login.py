"""Issue 10 item 2: ``/admin/login/`` cannot sign a TOTP-protected superuser in with the password
alone (it hands over to allauth's login and its second factor), and ``ADMIN_ALLOWED_NETWORKS``
keeps ``/admin/`` to the listed networks."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from apps.accounts import services
from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = services.create_user(email="root@example.com", password=STRONG_PASSWORD, email_verified=True)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_admin_password_form_does_not_sign_in_a_totp_user(client, superuser):
    secret = generate_totp_secret()
    TOTP.activate(superuser, secret)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root@example.com", "password": STRONG_PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still anonymous
    assert client.get("/a/anything/").status_code in (302, 404)

    # The allauth login asks for the code; with it the admin opens.
    step = client.post("/accounts/login/?next=/admin/", {"login": "root@example.com", "password": STRONG_PASSWORD})
    assert step["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    done = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_hands_over_to_allauth(client, superuser):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"


def test_signed_in_non_staff_gets_403_from_admin_login(client, verified_user):
    client.force_login(verified_user)
    assert client.get("/admin/login/").status_code == 403


def test_admin_allowed_networks(client, superuser, settings):
    client.force_login(superuser)
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert client.get("/admin/", REMOTE_ADDR="10.20.3.4").status_code == 200
    outside = client.get("/admin/", REMOTE_ADDR="192.0.2.9")
    assert outside.status_code == 404
    assert client.get("/admin/login/", REMOTE_ADDR="192.0.2.9").status_code == 404
    assert client.get("/", REMOTE_ADDR="192.0.2.9").status_code == 200  # the rest of the site is unaffected
    settings.ADMIN_ALLOWED_NETWORKS = []
    assert client.get("/admin/", REMOTE_ADDR="192.0.2.9").status_code == 200
