"""Bench settings plus the platform benchmark's no-op migration app (``bench.platform_noop``)."""

from bench.settings import *  # noqa: F401,F403
from bench.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.platform_noop"]
