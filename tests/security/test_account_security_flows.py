"""Issue 10 item 12: adding an email address and changing two-factor settings ask for the password
again (allauth's reauthentication), and "sign out everywhere" also ends the user's other browser
sessions, not only API tokens, while the browser that asked stays signed in."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import STRONG_PASSWORD
from tests.conftest import reauthenticate

pytestmark = pytest.mark.django_db


def signed_in(email="ada@example.com") -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": STRONG_PASSWORD})
    assert response.status_code == 302
    return client


def test_adding_an_email_needs_the_password_again(client, verified_user):
    client.force_login(verified_user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "second@example.com"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="second@example.com").exists()
    reauthenticate(client, STRONG_PASSWORD)
    client.post("/accounts/email/", {"action_add": "", "email": "second@example.com"})
    assert EmailAddress.objects.filter(email="second@example.com", user=verified_user).exists()


@pytest.mark.parametrize("path", ["/accounts/2fa/totp/activate/", "/accounts/2fa/recovery-codes/generate/"])
def test_two_factor_settings_need_the_password_again(client, verified_user, path):
    client.force_login(verified_user)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")


def test_sign_out_everywhere_ends_other_browser_sessions(verified_user):
    here, elsewhere = signed_in(), signed_in()
    assert elsewhere.get("/account/").status_code == 200
    response = here.post(reverse("accounts:sign_out_everywhere"))
    assert response.status_code == 302
    assert here.get("/account/").status_code == 200  # the browser that asked stays in
    gone = elsewhere.get("/account/")
    assert gone.status_code == 302 and gone["Location"].startswith("/accounts/login/")


def test_api_logout_all_ends_browser_sessions_too(api, verified_user, login):
    browser = signed_in()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {login()['access']}")
    assert api.post("/api/v1/auth/logout-all").status_code == 204
    assert browser.get("/account/").status_code == 302


def test_a_password_change_ends_other_sessions_but_not_this_one(verified_user):
    here, elsewhere = signed_in(), signed_in()
    reauthenticate(here, STRONG_PASSWORD)
    new = "amber-falcon-93-harbour"
    response = here.post(
        "/accounts/password/change/", {"oldpassword": STRONG_PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302, response.content
    assert here.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302
