"""Issue 10 item 1 (the HTML side of "failed codes count toward the lockout"): wrong codes at
allauth's two-factor step are axes failures, and while locked even the right code is refused."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from tests.accounts.conftest import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def test_wrong_codes_on_the_login_page_lock_out(client, verified_user, settings):
    secret = generate_totp_secret()
    TOTP.activate(verified_user, secret)
    right = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    wrong = "000000" if right != "000000" else "111111"
    step = client.post("/accounts/login/", {"login": "ada@example.com", "password": STRONG_PASSWORD})
    assert step["Location"] == "/accounts/2fa/authenticate/"
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [client.post("/accounts/2fa/authenticate/", {"code": wrong}).status_code for _ in range(limit)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[settings.AXES_FAILURE_LIMIT - 1] == 429
    locked = client.post("/accounts/2fa/authenticate/", {"code": right})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
