"""export_account_data and anonymise_user (the hooks the analytics app's GDPR tools call)."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessLog
from django.db import connection
from rest_framework.test import APIClient

from apps.accounts import services
from apps.accounts.models import User
from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_user(client, verified_user):
    """A user with a login history, a failed attempt, a second address, MFA and an API session."""
    client.post("/accounts/login/", {"login": "ada@example.com", "password": "wrong-password-1"})
    client.post("/accounts/login/", {"login": "ada@example.com", "password": STRONG_PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "ada@example.com", "password": "wrong-password-2"})
    EmailAddress.objects.create(user=verified_user, email="ada.work@example.com", primary=False, verified=False)
    Authenticator.objects.create(user=verified_user, type="totp", data={"secret": "SECRET-NOT-EXPORTED"})
    return verified_user


def tokens_for(user) -> dict:
    """An API session for a user with two-factor on (the password alone gets no tokens)."""
    pair = services.issue_tokens(user=user, client="web")
    return {"access": pair.access, "refresh": pair.refresh}


def test_export_holds_everything_and_no_secrets(rich_user):
    assert services.export_account_data(user=rich_user)["api_sessions_active"] == 0
    data = services.export_account_data(user=rich_user)
    json.dumps(data)  # serialisable
    assert data["account"]["email"] == "ada@example.com"
    assert data["account"]["name"] == "Ada"
    assert data["account"]["public_id"] == str(rich_user.public_id)
    assert {a["email"] for a in data["email_addresses"]} == {"ada@example.com", "ada.work@example.com"}
    assert data["two_factor"]["enabled"] is True
    assert data["two_factor"]["authenticators"][0]["type"] == "totp"
    assert "SECRET-NOT-EXPORTED" not in json.dumps(data)
    assert len(data["login_history"]) == 1
    assert data["login_history"][0]["ip_address"] == "127.0.0.1"
    assert data["failed_login_attempts"][0]["failures"] == 1
    tokens_for(rich_user)
    assert services.export_account_data(user=rich_user)["api_sessions_active"] == 1


def test_anonymise_keeps_a_tombstone_without_personal_data(rich_user):
    pair = tokens_for(rich_user)
    old_public_id = rich_user.public_id
    services.anonymise_user(user=rich_user)

    user = User.objects.get(pk=rich_user.pk)
    assert user.email.endswith("@erased.invalid") and "ada" not in user.email
    assert user.name == ""
    assert not user.has_usable_password() and not user.is_active
    assert user.public_id != old_public_id
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(email__icontains="ada").exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not AccessAttempt.objects.filter(username__icontains="ada").exists()
    assert not AccessLog.objects.filter(username__icontains="ada").exists()

    api = APIClient()
    assert api.post("/api/v1/auth/token/refresh", {"refresh": pair["refresh"]}, format="json").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    assert api.get("/api/v1/me").status_code == 401

    # No column of the accounts tables still holds the email or the name.
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, name FROM accounts_user WHERE id = %s", [user.pk])
        email, name = cursor.fetchone()
    assert "ada" not in email.lower() and name == ""

    services.anonymise_user(user=user)  # idempotent


def test_anonymise_with_delete_removes_the_row(rich_user):
    services.anonymise_user(user=rich_user, delete=True)
    assert not User.objects.filter(pk=rich_user.pk).exists()
    assert not EmailAddress.objects.exists()
    assert not AccessLog.objects.exists()


def test_revoke_all_tokens_works_when_the_store_is_down(verified_user, login, settings):
    pair = login()
    settings.TOKEN_STORE_URL = "redis://127.0.0.1:1/0"
    services.revoke_all_tokens(user=verified_user)  # no exception: the version bump suffices
    settings.TOKEN_STORE_URL = settings.REDIS_URL
    api = APIClient()
    assert api.post("/api/v1/auth/token/refresh", {"refresh": pair["refresh"]}, format="json").status_code == 401
