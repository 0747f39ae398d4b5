"""``make test``: the real services. Defaults point at this machine's PostgreSQL, Redis and
RabbitMQ; the environment can override each. Tasks run eagerly unless a test starts a real
worker (see tests/core/test_celery.py)."""

import copy
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bazaar")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")


def _isolate_xdist_worker() -> None:
    """Under pytest-xdist (``make test`` runs ``-n 2``) each worker process gets its own Redis
    database (the base one + the worker's number: tests flush theirs), Celery queue and media
    directory; pytest-django already gives each its own test database. Done once per process tree:
    Celery workers and servers started by a test inherit the rewritten environment as it is."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or os.environ.get("BAZAAR_TEST_WORKER") == worker:
        return
    index = int(worker.removeprefix("gw") or 0)
    for name in ("REDIS_URL", "TOKEN_STORE_URL", "ANALYTICS_REDIS_URL"):
        url = os.environ.get(name)
        if url:
            base, _, db = url.rpartition("/")
            os.environ[name] = f"{base}/{int(db or 0) + index}" if db.isdigit() else url
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"{os.environ.get('CELERY_TASK_DEFAULT_QUEUE', 'bazaar')}_{worker}"
    os.environ["MEDIA_ROOT"] = f"{os.environ.get('MEDIA_ROOT', '/tmp/bazaar-test-media')}-{worker}"
    os.environ["BAZAAR_TEST_WORKER"] = worker


_isolate_xdist_worker()

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
