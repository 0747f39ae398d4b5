"""Security baseline: production settings refuse to start without their secrets, and with them
turn on HSTS, secure cookies, SSL redirect behind the proxy, Argon2, hashed compressed static
files; every response carries CSP, nosniff and Referrer-Policy; check --deploy is clean."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "core" / "production_probe.py"
GOOD_KEY = "k" * 20 + "9Zq!x7#Lm2$Vb8&Rt4*Wn6^Yp3@Hs5%Jd1"


def production_env(**overrides):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "bazaar.example.com",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bazaar",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "FIELD_ENCRYPTION_KEYS": "q6o5Ug64mZTtlaHnI0FexwEIqC1dmWnX9RRjivcu6cg=",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run_probe(*args, **overrides):
    return subprocess.run(
        [sys.executable, str(PROBE), *args],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=300,  # a harness limit, not a performance check: a loaded 2-core machine needs minutes
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    result = run_probe(**{missing: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_probe(SECRET_KEY="dev-insecure-short")
    assert result.returncode != 0 and "SECRET_KEY must be a long random value" in result.stderr


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """One production-settings probe for the module: collectstatic with compression (the slow part:
    a minute or more on the loaded machine), then the settings and three requests."""
    static_root = tmp_path_factory.mktemp("static")
    result = run_probe("collectstatic", STATIC_ROOT=str(static_root))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_production_security_settings(production):
    s = production["settings"]
    assert s["DEBUG"] is False
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "strict-origin-when-cross-origin"
    assert s["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert s["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.slow
def test_production_redirects_plain_http_but_not_health_checks(production):
    assert production["plain_http"] == {"status": 301, "location": "https://bazaar.example.com/"}
    assert production["plain_healthz"] == 200


@pytest.mark.slow
def test_production_https_response_headers(production):
    headers = production["https_headers"]
    assert headers["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "script-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.slow
def test_static_files_are_hashed_compressed_and_cached_forever(production):
    static = production["static"]
    name = static["hashed"]
    assert name.startswith("css/bazaar.") and name.endswith(".css") and len(name) > len("css/bazaar.css") + 8
    assert static["gzip_exists"] is True
    assert static["served"]["status"] == 200
    assert static["served"]["encoding"] == "gzip"
    assert "max-age=315360000" in static["served"]["cache"] and "immutable" in static["served"]["cache"]


def test_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**production_env(), "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=300,  # a harness limit, not a performance check: a loaded 2-core machine needs minutes
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz", "/no-such-page/", "/api/v1/nothing/"])
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", path
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY", path


def test_argon2_is_the_first_hasher_outside_tests():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_probe")
def test_views_exempt_from_x_frame_options_stay_exempt(client):
    response = client.get("/probe/embeddable/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
