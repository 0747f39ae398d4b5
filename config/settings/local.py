"""``make run``: the embedded defaults (SQLite, local-memory cache, eager Celery) unless the
environment names real services. Readable console logs, DEBUG on."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
LOG_FORMAT = env("LOG_FORMAT", default="console")
LOGGING["handlers"]["default"]["formatter"] = LOG_FORMAT  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
