"""/healthz answers while the process lives; /readyz checks database, cache and broker and names
whichever failed (tested against a closed port)."""

import socket
import time

import pytest

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A port on loopback that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_is_200_without_touching_dependencies(client, settings, django_assert_num_queries):
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port()}//"
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_readyz_ok_against_the_real_services(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("amqp://")
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
        "failed": [],
    }


def test_readyz_names_the_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port()}//"
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok" and body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"].startswith("error:")


def test_readyz_names_the_cache_when_it_is_down(client, settings):
    port = closed_port()
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert response["Content-Type"].startswith("application/json")


def test_readyz_broker_check_skipped_without_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    assert client.get("/readyz").json()["checks"]["broker"] == "ok"
