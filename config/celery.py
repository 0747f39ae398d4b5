"""The Celery application. Configuration comes from Django settings (``CELERY_*``); tasks are
autodiscovered from each app's ``tasks.py``. The base task class lives in ``apps.core.tasks``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("bazaar", task_cls="apps.core.tasks:BazaarTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
