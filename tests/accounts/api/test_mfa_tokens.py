"""Issue 10 item 1: with two-factor on, the token endpoint asks for a code (401 ``mfa_required``
with a challenge); tokens come only from the second step with a valid TOTP or recovery code, and
wrong codes count toward the axes lockout. Real PostgreSQL, real Redis, allauth's own codes."""

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import signing

from apps.accounts import mfa
from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def totp_now(secret, step=0):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


@pytest.fixture
def secret(verified_user):
    secret = generate_totp_secret()
    TOTP.activate(verified_user, secret)
    return secret


def first_step(api, password=STRONG_PASSWORD, client="web", ip="10.1.0.1"):
    return api.post(
        "/api/v1/auth/token",
        {"email": "ada@example.com", "password": password, "client": client},
        format="json",
        REMOTE_ADDR=ip,
    )


def second_step(api, challenge, code, ip="10.1.0.1"):
    return api.post("/api/v1/auth/token/mfa", {"challenge": challenge, "code": code}, format="json", REMOTE_ADDR=ip)


def test_password_alone_gets_no_tokens_when_totp_is_on(api, secret):
    response = first_step(api)
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == "mfa_required"
    assert "access" not in body and "refresh" not in body
    assert body["error"]["details"]["methods"] == ["totp", "recovery_codes"]
    assert body["error"]["details"]["expires_in"] == mfa.CHALLENGE_MAX_AGE


def test_challenge_and_totp_code_give_tokens_of_the_chosen_client(api, secret):
    challenge = first_step(api, client="mobile").json()["error"]["details"]["challenge"]
    response = second_step(api, challenge, totp_now(secret))
    assert response.status_code == 200, response.content
    access = response.json()["access"]
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert me.status_code == 200 and me.json()["email"] == "ada@example.com"
    import jwt

    assert jwt.decode(access, options={"verify_signature": False})["client"] == "mobile"


def test_a_totp_code_cannot_be_replayed(api, secret):
    code = totp_now(secret)
    challenge = first_step(api).json()["error"]["details"]["challenge"]
    assert second_step(api, challenge, code).status_code == 200
    again = second_step(api, challenge, code)
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "invalid_mfa_code"


def test_a_recovery_code_works_once(api, verified_user, secret):
    codes = RecoveryCodes.activate(verified_user).generate_codes()
    challenge = first_step(api).json()["error"]["details"]["challenge"]
    assert second_step(api, challenge, codes[0]).status_code == 200
    assert second_step(api, challenge, codes[0]).json()["error"]["code"] == "invalid_mfa_code"


def test_wrong_or_forged_challenges_are_refused(api, verified_user, secret):
    forged = signing.dumps({"u": str(verified_user.public_id), "v": verified_user.token_version, "c": "web"})
    response = second_step(api, forged, totp_now(secret))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "mfa_challenge_invalid"
    # A challenge from before a logout-all is void.
    challenge = first_step(api).json()["error"]["details"]["challenge"]
    from apps.accounts.services import revoke_all_tokens

    revoke_all_tokens(user=verified_user)
    assert second_step(api, challenge, totp_now(secret)).json()["error"]["code"] == "mfa_challenge_invalid"


def test_expired_challenge_is_refused(api, secret, monkeypatch):
    challenge = first_step(api).json()["error"]["details"]["challenge"]
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + mfa.CHALLENGE_MAX_AGE + 5)
    response = second_step(api, challenge, "000000")
    assert response.json()["error"]["code"] == "mfa_challenge_invalid"


def test_wrong_codes_count_toward_the_lockout(api, secret, settings):
    challenge = first_step(api).json()["error"]["details"]["challenge"]
    statuses = [second_step(api, challenge, "000000").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[:-1] == [401] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # Locked now: even the right code is refused, and so is the password step.
    locked = second_step(api, challenge, totp_now(secret))
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert first_step(api).status_code == 429


def test_users_without_mfa_still_get_tokens_in_one_step(api, verified_user):
    assert first_step(api).status_code == 200
