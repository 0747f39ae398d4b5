"""apps.core.cache against a real, private redis-server that the tests stop and start (a free port):
errors are misses, counted, behind a circuit breaker; the fail-closed alias answers 503."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from django.core.cache import caches
from prometheus_client import REGISTRY

from apps.core.cache import CacheUnavailable, breaker_state, reset_breakers
from tests.parallel import free_port

PORT = free_port()
DEAD = next(port for port in iter(free_port, None) if port != PORT)  # nothing listens there


def _open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class PrivateRedis:
    """One redis-server we start and stop by PID."""

    def __init__(self, port: int):
        self.port, self.proc, self.dir = port, None, tempfile.mkdtemp(prefix="bazaar-cache-test-")

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--dir", self.dir],  # noqa: S607
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _open(self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture
def redis_server():
    server = PrivateRedis(PORT)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


def _entry(alias: str, *, fail_closed: bool = False) -> dict:
    return {
        "BACKEND": "apps.core.cache.ResilientRedisCache",
        "LOCATION": f"redis://127.0.0.1:{PORT}/0",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.3,
            "SOCKET_TIMEOUT": 0.3,
            "ALIAS": alias,
            "FAIL_CLOSED": fail_closed,
            "BREAKER_SECONDS": 0.3,
        },
    }


@pytest.fixture
def outage_caches(settings, redis_server):
    settings.CACHES = {
        **settings.CACHES,
        "outage": _entry("outage"),
        "outage_closed": _entry("outage_closed", fail_closed=True),
    }
    reset_breakers()
    yield caches["outage"], caches["outage_closed"]
    reset_breakers()


def metric(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_redis_outage_reads_as_misses_then_the_breaker_short_circuits(outage_caches, redis_server):
    cache, _ = outage_caches
    assert cache.set("k", "v") is True and cache.get("k") == "v"
    redis_server.stop()
    errors_before = metric("bazaar_cache_errors_total", alias="outage", op="get")
    assert cache.get("k", "fallback") == "fallback"  # the miss the caller already handles
    assert breaker_state("outage") == "open"
    assert metric("bazaar_cache_errors_total", alias="outage", op="get") == errors_before + 1
    short_before = metric("bazaar_cache_short_circuits_total", alias="outage")
    # While open: no connection attempt at all, every method answers its "nothing there" value.
    assert cache.set("k", "v") is False
    assert cache.add("k", "v") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.incr("counter") == 0
    assert cache.get_or_set("computed", lambda: 42) == 42
    assert metric("bazaar_cache_short_circuits_total", alias="outage") >= short_before + 5
    assert metric("bazaar_cache_errors_total", alias="outage", op="get") == errors_before + 1  # no new attempts


def test_the_breaker_closes_after_a_good_trial(outage_caches, redis_server):
    cache, _ = outage_caches
    redis_server.stop()
    assert cache.get("k") is None and breaker_state("outage") == "open"
    redis_server.start()
    time.sleep(0.35)  # one breaker interval: the next call is the trial
    assert cache.set("k", "back") is True
    assert breaker_state("outage") == "closed"
    assert cache.get("k") == "back"


def test_the_fail_closed_alias_raises_503(outage_caches, redis_server):
    _, closed = outage_caches
    assert closed.set("k", 1) is True
    redis_server.stop()
    with pytest.raises(CacheUnavailable) as raised:
        closed.get("k")
    assert raised.value.status == 503 and raised.value.code == "token_store_unavailable"
    with pytest.raises(CacheUnavailable):  # breaker open: refused without trying
        closed.set("k", 2)


@pytest.mark.django_db
def test_token_endpoint_answers_503_when_the_token_store_redis_is_down(client, settings, user, password):
    """Both the login rate limit and the refresh-token store live on TOKEN_STORE_URL: one dead Redis."""
    dead = f"redis://127.0.0.1:{DEAD}/0"  # nothing listens there
    settings.TOKEN_STORE_URL = dead
    settings.CACHES = {**settings.CACHES, "tokens": {**_entry("tokens-dead", fail_closed=True), "LOCATION": dead}}
    reset_breakers()
    response = client.post(
        "/api/v1/auth/token", {"email": user.email, "password": password}, content_type="application/json"
    )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "token_store_unavailable"
    assert response.json()["error"]["request_id"]


@pytest.mark.django_db
def test_pages_and_public_api_are_served_when_the_cache_redis_is_down(client, settings, tenant):
    from tests.catalog.factories import make_product

    make_product(tenant, "Outage Kettle", slug="outage-kettle")
    settings.CACHES = {
        **settings.CACHES,
        "default": {**_entry("default-dead"), "LOCATION": f"redis://127.0.0.1:{DEAD}/0"},
    }
    reset_breakers()
    listing = client.get(f"/api/v1/t/{tenant.slug}/catalog/public/products/")
    assert listing.status_code == 200 and listing.json()["results"][0]["name"] == "Outage Kettle"
    assert client.get(f"/s/{tenant.slug}/").status_code == 200
    assert client.get(f"/s/{tenant.slug}/p/outage-kettle/").status_code == 200
    ready = client.get("/readyz").json()
    assert ready["status"] == "degraded" and "cache" in ready["failed"]


@pytest.mark.django_db
def test_console_pages_and_read_throttles_with_the_cache_redis_down(client, settings, tenant, owner):
    """A signed-in member keeps working in the console (sessions are in PostgreSQL), and the read
    throttles fail open as documented (apps/core/throttling.py): counts in a dead cache are empty."""
    from tests.catalog.factories import make_product

    make_product(tenant, "Outage Teapot", slug="outage-teapot")
    client.force_login(owner)
    settings.CACHES = {
        **settings.CACHES,
        "default": {**_entry("default-dead"), "LOCATION": f"redis://127.0.0.1:{DEAD}/0"},
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "1/min"},
    }
    reset_breakers()
    products = client.get(f"/a/{tenant.slug}/catalog/")
    assert products.status_code == 200 and "Outage Teapot" in products.content.decode()
    assert client.get(f"/a/{tenant.slug}/").status_code == 200
    anonymous = client.__class__()
    url = f"/api/v1/t/{tenant.slug}/catalog/public/products/"
    assert [anonymous.get(url).status_code for _ in range(3)] == [200, 200, 200]  # 1/min, yet open
