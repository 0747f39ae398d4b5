"""Which address is the client's: only the proxies we run are trusted (``NUM_PROXIES``).

The same rule keys API throttles, login lockouts and the metrics allow-list, so a forged
X-Forwarded-For can neither dodge a limit nor lock somebody else out from the proxy's address.
"""

import pytest
from django.test import RequestFactory

from apps.core.client_ip import get_client_ip


def request_from(remote_addr, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra)


@pytest.mark.parametrize(
    ("num_proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.5"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),  # one proxy: the address it appended
        (1, "1.1.1.1, 203.0.113.9", "203.0.113.9"),  # a forged first hop is ignored
        (2, "1.1.1.1, 203.0.113.9, 10.0.0.9", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),  # fewer entries than proxies: the leftmost
        (1, " , ", "10.0.0.5"),  # an empty header falls back to the socket address
        (1, None, "10.0.0.5"),
    ],
)
def test_client_ip_trusts_only_our_proxies(settings, num_proxies, forwarded, expected):
    settings.NUM_PROXIES = num_proxies
    assert get_client_ip(request_from("10.0.0.5", forwarded)) == expected


@pytest.mark.django_db
def test_metrics_allow_list_checks_the_client_behind_the_proxy(client, settings):
    settings.NUM_PROXIES = 1
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    # The proxy runs on the same host, so REMOTE_ADDR is loopback for everybody.
    outsider = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    local = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert outsider.status_code == 403
    assert local.status_code == 200
