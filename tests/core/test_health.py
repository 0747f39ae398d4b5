"""/healthz answers while the process lives; /readyz checks database, cache and broker and names
whichever failed (tested against a closed port)."""

import socket
import time
from pathlib import Path

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
        "checks": {"database": "ok", "cache": "ok", "token_store": "ok", "broker": "ok"},
        "failed": [],
        "cache_breaker": "closed",
        "outbox_pending": 0,
    }


def test_readyz_names_the_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port()}//"
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 3
    # Degraded, not unready: the outbox keeps the work, so the instance keeps serving.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok" and body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"].startswith("error:")


def test_readyz_names_the_cache_when_it_is_down(client, settings):
    port = closed_port()
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "ALIAS": "readyz-test"},
        }
    }
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 3
    assert response.status_code == 200  # pages are served from PostgreSQL meanwhile
    assert response.json()["status"] == "degraded"
    assert response.json()["failed"] == ["cache"]
    assert response["Content-Type"].startswith("application/json")


def test_readyz_broker_check_skipped_without_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    assert client.get("/readyz").json()["checks"]["broker"] == "ok"


def test_readyz_names_the_database_when_it_is_down(tmp_path):
    """In a fresh process whose DATABASE_URL points at a closed port (pool timeout 1 s)."""
    import os
    import subprocess
    import sys

    code = (
        "import json, time, django; django.setup(); from django.test import Client; "
        "t = time.monotonic(); r = Client().get('/readyz'); took = time.monotonic() - t; "
        "print(f'{took:.3f}', r.status_code, json.dumps(r.json()))"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/bazaar",
        "DB_POOL_TIMEOUT": "10",  # the pool's own wait is not what /readyz waits for
        "LOG_LEVEL": "CRITICAL",
    }
    started = time.monotonic()
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    took, status, body = result.stdout.strip().splitlines()[-1].split(" ", 2)
    assert status == "503"
    assert float(took) < 2.5, took  # reported within about 2 s, not after DB_POOL_TIMEOUT
    assert '"failed": ["database"]' in body
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_whatever_the_host_header(client, settings, path):
    """Docker's HEALTHCHECK and orchestrators call the container by its own address."""
    settings.ALLOWED_HOSTS = ["bazaar.example.com"]
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200, path
    assert response["X-Content-Type-Options"] == "nosniff"  # still inside the security headers
    assert len(response["X-Request-ID"]) == 32


def test_other_pages_validate_the_host_header_and_probes_are_get_only(client, settings):
    settings.ALLOWED_HOSTS = ["bazaar.example.com"]
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400  # everything else validates the host
    assert client.post("/healthz", HTTP_HOST="bazaar.example.com").status_code == 405


def test_probe_views_without_the_middleware(client, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("HealthCheckMiddleware")]
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
