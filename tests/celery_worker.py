"""A real Celery worker for tests: a ``celery worker`` subprocess on this run's test database and
the real broker, consuming a queue of its own (fixtures ``celery_worker`` / ``real_worker`` in
``tests/conftest.py``; ``start_celery_worker`` for a test that starts one at a given moment)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CeleryWorker:
    """A started worker: its queue, process, log file and metrics port."""

    queue: str
    process: subprocess.Popen
    log_path: Path
    metrics_port: int

    def log(self) -> str:
        """Everything the worker has logged so far (INFO: each task received and succeeded)."""
        return self.log_path.read_text(errors="replace")


def worker_database_url() -> str:
    """The URL of the test database this process uses (pytest-django's ``test_`` name, per xdist worker)."""
    base = settings.DATABASES["default"]
    password = base.get("PASSWORD") or ""
    host = f"{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}"
    return f"postgres://{base['USER']}:{password}@{host}/{connection.settings_dict['NAME']}"


def start_celery_worker(
    *, queue: str, log_path: Path | None = None, metrics_port: int | None = None, loglevel: str = "INFO"
) -> subprocess.Popen:
    """Start one solo-pool worker on ``queue`` (it also imports ``tests.core.probe_tasks``); its
    output goes to ``log_path`` (or nowhere). Stop it by its PID."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": worker_database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    if metrics_port:
        env.update({"CELERY_METRICS_PORT": str(metrics_port), "CELERY_METRICS_ADDR": "127.0.0.1"})
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-I", "tests.core.probe_tasks",
        "-Q", queue, "-n", f"{queue}@%h",  # a unique node name: other workers may share the broker
        "--pool", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", loglevel,
    ]  # fmt: skip
    if log_path is None:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    with open(log_path, "w") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def route_all_tasks(queue: str | None, saved: tuple | None = None) -> tuple:
    """Send every task to ``queue``, not eagerly (returns the previous setup); with ``saved``, put
    that setup back. Celery caches its router, so it is rebuilt each time."""
    from config.celery import app as celery_app

    conf = celery_app.conf
    previous = (conf.task_always_eager, conf.task_default_queue, conf.task_routes)
    if saved is None:
        conf.task_always_eager, conf.task_default_queue, conf.task_routes = False, queue, {"*": {"queue": queue}}
    else:
        conf.task_always_eager, conf.task_default_queue, conf.task_routes = saved
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)
    return previous
