"""``make test``: the real services. Defaults point at this machine's PostgreSQL, Redis and
RabbitMQ; the environment can override each. Tasks run eagerly unless a test starts a real
worker (see tests/core/test_celery.py)."""

import copy
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bazaar")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from .base import *  # noqa: E402,F401,F403
from .base import env  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405  fast tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/bazaar-test-media")
LOG_LEVEL = "WARNING"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A replica alias that mirrors the primary, so the read-your-writes router can be tested against
# the real database (tests/core/test_db_router.py installs the router with override_settings).
if env.bool("TEST_DATABASE_REPLICA_MIRROR", default=True) and "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**copy.deepcopy(DATABASES["default"]), "TEST": {"MIRROR": "default"}}  # noqa: F405
    # No pool for the mirror: its idle pooled connections would keep the test database from being dropped.
    DATABASES["replica"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
