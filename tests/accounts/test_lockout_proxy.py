"""Behind a reverse proxy, a lockout is keyed by the client address the proxy saw, not by the
proxy's own address and not by a forged X-Forwarded-For entry (``NUM_PROXIES``)."""

import pytest

from tests.accounts.conftest import STRONG_PASSWORD


@pytest.mark.django_db
def test_lockout_behind_a_proxy_is_per_client_not_per_proxy(api, verified_user, settings):
    settings.NUM_PROXIES = 1

    def token(password, client_ip):
        return api.post(
            "/api/v1/auth/token",
            {"email": "ada@example.com", "password": password},
            format="json",
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_ip}",  # forged first hop, then what the proxy saw
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        token("wrong-password-1", "198.51.100.7")
    assert token(STRONG_PASSWORD, "198.51.100.7").status_code == 429  # the attacker's address is locked
    assert token(STRONG_PASSWORD, "192.0.2.44").status_code == 200  # the real user, same proxy, gets in
