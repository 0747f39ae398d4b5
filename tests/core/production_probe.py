"""Run in a subprocess with ``config.settings.production``: print what the tests check as JSON.

``python tests/core/production_probe.py [collectstatic]``
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

report: dict = {
    "settings": {
        name: getattr(settings, name, None)
        for name in (
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "SECURE_PROXY_SSL_HEADER",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_CONTENT_TYPE_NOSNIFF",
            "SECURE_REFERRER_POLICY",
            "PASSWORD_HASHERS",
            "STORAGES",
            "DB_POOL_MAX_SIZE",
        )
    }
}
client = Client()
plain = client.get("/", HTTP_HOST="bazaar.example.com")
report["plain_http"] = {"status": plain.status_code, "location": plain.get("Location")}
health = client.get("/healthz", HTTP_HOST="bazaar.example.com")
report["plain_healthz"] = health.status_code
secure = client.get("/healthz", HTTP_HOST="bazaar.example.com", HTTP_X_FORWARDED_PROTO="https")
report["https_headers"] = {"status": secure.status_code, **dict(secure.headers)}

if sys.argv[1:] == ["collectstatic"]:
    from django.core.management import call_command

    # Third-party files are skipped to keep the test fast; the image's build collects everything.
    skip = ["admin/*", "rest_framework/*", "django_htmx/*"]
    call_command("collectstatic", "--noinput", verbosity=0, ignore_patterns=skip)
    root = Path(settings.STATIC_ROOT)
    manifest = json.loads((root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/bazaar.css"]
    report["static"] = {
        "hashed": hashed,
        "gzip_exists": (root / (hashed + ".gz")).exists(),
    }
    served = Client().get(
        "/static/" + hashed, HTTP_HOST="bazaar.example.com", HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_ENCODING="gzip"
    )
    report["static"]["served"] = {
        "status": served.status_code,
        "encoding": served.get("Content-Encoding"),
        "cache": served.get("Cache-Control"),
    }
print(json.dumps(report, default=str))
