"""Production: secrets only from the environment. Refuses to start without ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DATABASE_URL``; turns on HSTS, secure cookies and SSL redirect
(honouring the proxy's ``X-Forwarded-Proto``)."""

import os

from django.core.exceptions import ImproperlyConfigured

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
_missing = [name for name in REQUIRED if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(f"Production settings need these environment variables: {', '.join(_missing)}")

from .base import *  # noqa: E402,F401,F403
from .base import env  # noqa: E402

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a long random value in production")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health checks come from the orchestrator over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LOG_FORMAT = "json"
LOGGING["handlers"]["default"]["formatter"] = "json"  # noqa: F405  machines read production logs

# --- accounts ---
# Personal data is encrypted at rest with keys from the environment, never derived from SECRET_KEY;
# refresh tokens need a real Redis (the in-process store is development-only).
if not FIELD_ENCRYPTION_KEYS:  # noqa: F405
    raise ImproperlyConfigured("Production needs FIELD_ENCRYPTION_KEYS (comma-separated Fernet keys, current first)")
if not TOKEN_STORE_URL:  # noqa: F405
    raise ImproperlyConfigured("Production needs TOKEN_STORE_URL (or REDIS_URL): a persistent Redis for refresh tokens")

# Behind a reverse proxy on the same host every request comes from 127.0.0.1: /metrics takes the
# bearer token only, unless addresses are listed explicitly.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
