"""django-axes: an email/IP pair is locked after AXES_FAILURE_LIMIT failures on the API and the
login page, and let in again after the cool-off (time moved by ageing the attempt records)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def token(api, password, email="ada@example.com", ip="10.0.0.1"):
    return api.post("/api/v1/auth/token", {"email": email, "password": password}, format="json", REMOTE_ADDR=ip)


def age_attempts(minutes):
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))


def test_api_lockout_is_429_with_retry_after_then_cools_off(api, verified_user, settings):
    limit = settings.AXES_FAILURE_LIMIT
    codes = [token(api, "wrong-password-1").status_code for _ in range(limit - 1)]
    assert codes == [401] * (limit - 1)

    locked = token(api, "wrong-password-1")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert int(locked["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())

    # Even the right password is refused during the cool-off ...
    still = token(api, STRONG_PASSWORD)
    assert still.status_code == 429
    assert still.json()["error"]["code"] == "locked_out"
    # ... but only for this email/IP pair.
    assert token(api, STRONG_PASSWORD, ip="10.0.0.2").status_code == 200

    age_attempts(settings.AXES_COOLOFF_TIME.total_seconds() / 60 + 1)
    assert token(api, STRONG_PASSWORD).status_code == 200


def test_success_resets_the_failure_count(api, verified_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        token(api, "wrong-password-1")
    assert token(api, STRONG_PASSWORD).status_code == 200
    assert token(api, "wrong-password-1").status_code == 401  # counting starts again


def test_login_page_lockout_and_cool_off(client, verified_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"login": "ada@example.com", "password": "wrong-password-1"})
        assert response.status_code == 200
        assert b"field-error" in response.content or b"form-errors" in response.content
    locked = client.post("/accounts/login/", {"login": "ada@example.com", "password": "wrong-password-1"})
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content
    assert b'class="site-header"' in locked.content  # our layout
    right = client.post("/accounts/login/", {"login": "ada@example.com", "password": STRONG_PASSWORD})
    assert right.status_code == 429

    age_attempts(settings.AXES_COOLOFF_TIME.total_seconds() / 60 + 1)
    ok = client.post("/accounts/login/", {"login": "ada@example.com", "password": STRONG_PASSWORD})
    assert ok.status_code == 302


def test_page_and_api_failures_share_one_counter(client, api, verified_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(
            "/accounts/login/", {"login": "Ada@Example.com", "password": "wrong-password-1"}, REMOTE_ADDR="10.0.0.1"
        )
    assert token(api, "wrong-password-1").status_code == 429
