"""Benchmark settings: production settings plus the bench URLconf (which adds the floor view)."""

from config.settings.production import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
