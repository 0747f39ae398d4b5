"""Issue 10 item 7: rotating source addresses does not give endless guesses: after
``ACCOUNT_LOCKOUT_FAILURE_LIMIT`` failures for one account from any addresses the account is locked
everywhere (API and login page) for the cool-off, and the lock is logged and counted."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from prometheus_client import REGISTRY

from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def token(api, password, ip):
    return api.post(
        "/api/v1/auth/token", {"email": "ada@example.com", "password": password}, format="json", REMOTE_ADDR=ip
    )


def lockouts() -> float:
    return REGISTRY.get_sample_value("bazaar_account_lockouts_total") or 0.0


def test_failures_from_many_addresses_lock_the_account(api, client, verified_user, settings, caplog):
    settings.ACCOUNT_LOCKOUT_FAILURE_LIMIT = 8
    before = lockouts()
    per_address = settings.AXES_FAILURE_LIMIT - 1  # never enough to lock any one address
    with caplog.at_level(logging.WARNING, logger="bazaar.accounts"):
        statuses = [
            token(api, "wrong-password-1", f"10.3.{n}.1").status_code for n in range(2) for _ in range(per_address)
        ]
    assert statuses == [401] * 7 + [429]
    assert any(getattr(r, "security_event", "") == "account_locked" for r in caplog.records)
    assert lockouts() == before + 1

    # Locked everywhere: a fresh address with the right password, the API and the login page.
    assert token(api, STRONG_PASSWORD, "10.3.9.9").status_code == 429
    page = client.post(
        "/accounts/login/", {"login": "ada@example.com", "password": STRONG_PASSWORD}, REMOTE_ADDR="10.3.9.8"
    )
    assert page.status_code == 429

    # After the cool-off the account opens again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert token(api, STRONG_PASSWORD, "10.3.9.9").status_code == 200


def test_other_accounts_are_not_affected(api, verified_user, settings):
    from apps.accounts import services

    services.create_user(email="bob@example.com", password=STRONG_PASSWORD, email_verified=True)
    settings.ACCOUNT_LOCKOUT_FAILURE_LIMIT = 4
    for n in range(4):
        token(api, "wrong-password-1", f"10.4.{n}.1")
    assert token(api, STRONG_PASSWORD, "10.4.9.9").status_code == 429
    other = api.post("/api/v1/auth/token", {"email": "bob@example.com", "password": STRONG_PASSWORD}, format="json")
    assert other.status_code == 200
