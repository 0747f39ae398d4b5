"""The embedded default keeps working: with no service in the environment (SQLite in a temporary
directory, local-memory cache, eager Celery), migrate, load the demo and serve, then GET / and
/healthz."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read(), dict(response.headers)


@pytest.mark.slow
def test_embedded_defaults_migrate_and_serve(tmp_path):
    env = {
        # A clean environment: no DATABASE_URL, REDIS_URL or CELERY_BROKER_URL.
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'embedded.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stdout[-2000:] + migrate.stderr[-4000:]
    assert (tmp_path / "embedded.sqlite3").exists()
    demo = subprocess.run(
        [sys.executable, "manage.py", "load_demo", "--products", "5"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-4000:]
    assert "http://127.0.0.1:8000/" in demo.stdout

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body, headers = get(base + "/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "runserver did not answer within 30 s"
                time.sleep(0.3)
        assert status == 200
        assert b"<h1>Bazaar</h1>" in body
        assert len(body) < 200_000
        assert "Content-Security-Policy" in headers
        assert get(base + "/healthz")[:2] == (200, b'{"status": "ok"}')
        status, body, _ = get(base + "/readyz")
        assert status == 200, body  # SQLite, local memory, no broker: all ready
        assert get(base + "/static/css/bazaar.css")[0] == 200
        # Typo-tolerant search on SQLite too (issue 13): a product's name with a letter dropped
        # from its longest word still finds it.
        _, home, _ = get(base + "/s/demo/")
        name = re.search(r'<h3 class="product-name">([^<]+)</h3>', home.decode()).group(1)
        word = max(re.findall(r"\w+", name), key=len)
        typo = word[:2] + word[3:]
        _, found, _ = get(base + "/s/demo/search?" + urllib.parse.urlencode({"q": typo}))
        assert name in found.decode(), (name, typo)
    finally:
        server.terminate()
        server.communicate(timeout=20)
