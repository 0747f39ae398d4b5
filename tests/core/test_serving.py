"""gunicorn: gthread workers and threads from the environment, no preloading, the database pool
following the threads; a real gunicorn serves /healthz with the production settings."""

import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "config" / "gunicorn.py"


def load_conf(monkeypatch, **env):
    """Evaluate config/gunicorn.py against a private copy of the environment (it sets a default)."""
    names = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "DB_POOL_MAX_SIZE")
    environ = {key: value for key, value in os.environ.items() if key not in names}
    monkeypatch.setattr(os, "environ", {**environ, **env})
    return runpy.run_path(str(GUNICORN_CONF))


def test_defaults_fit_twenty_connections_per_instance(monkeypatch):
    conf = load_conf(monkeypatch)
    assert conf["worker_class"] == "gthread"
    assert conf["preload_app"] is False  # nothing opened before the fork
    assert conf["workers"] == 2 and conf["threads"] == 8
    pool = int(os.environ["DB_POOL_MAX_SIZE"])
    assert pool >= conf["threads"]
    assert conf["workers"] * pool <= 20


def test_workers_and_threads_from_the_environment(monkeypatch):
    conf = load_conf(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="4")
    assert (conf["workers"], conf["threads"]) == (3, 4)
    assert os.environ["DB_POOL_MAX_SIZE"] == "4"


def test_an_explicit_pool_size_wins(monkeypatch):
    load_conf(monkeypatch, GUNICORN_THREADS="4", DB_POOL_MAX_SIZE="6")
    assert os.environ["DB_POOL_MAX_SIZE"] == "6"


def settings_value(name: str, **env) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_settings_pool_follows_threads():
    assert settings_value("DB_POOL_MAX_SIZE", GUNICORN_THREADS="12") == "12"
    assert settings_value("DB_POOL_MAX_SIZE") == "8"
    assert settings_value("DATABASES['default']['OPTIONS']['pool']['max_size']",
                          DATABASE_URL="postgres://u@127.0.0.1:5432/x", GUNICORN_THREADS="5") == "5"  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_serves_health_with_production_settings(tmp_path):
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "s" * 30 + "0aZ9!kP3#qW7$eR5%tY1^uI8&oP2*aS4",
        "ALLOWED_HOSTS": "bazaar.example.com",  # the probe below calls 127.0.0.1, like Docker's HEALTHCHECK
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bazaar",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "FIELD_ENCRYPTION_KEYS": "q6o5Ug64mZTtlaHnI0FexwEIqC1dmWnX9RRjivcu6cg=",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "STATIC_ROOT": str(tmp_path / "not-collected"),  # whitenoise warns: the warning must be JSON too
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body, headers = None, None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body, headers = response.read(), response.headers
            except OSError:
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.3)
        assert body == b'{"status": "ok"}'
        assert len(headers["X-Request-ID"]) == 32
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any(line["logger"] == "gunicorn.error" and line["event"] == "Using worker: gthread" for line in lines)
    assert all(not line.strip() or line.startswith("{") for line in output.splitlines()), output  # JSON only
    assert any(line["logger"] == "py.warnings" and "No directory at" in line["event"] for line in lines)
