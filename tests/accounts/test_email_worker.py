"""Account mail really goes through Celery: with eager mode off, signing up publishes a task that a
real worker (subprocess, RabbitMQ, a queue unique to this run) executes and reports as sent."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.accounts.conftest import STRONG_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def email_worker(django_db_setup, tmp_path):
    queue = f"bazaar_accounts_mail_{uuid.uuid4().hex[:10]}"
    base = settings.DATABASES["default"]
    url = (
        f"postgres://{base['USER']}:{base.get('PASSWORD') or ''}@{base['HOST']}:{base['PORT'] or 5432}/"
        f"{connection.settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo",
             "-n", f"{queue}@%h",  # a unique node name: other workers may share the broker
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    old_eager, old_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield log_path
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = old_eager, old_queue
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_signup_mail_is_sent_by_a_real_worker(email_worker, client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {"email": "queued@example.com", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert response.status_code == 302
    assert mailoutbox == []  # not sent in the request: it was queued
    deadline = time.monotonic() + 40
    log = ""
    while time.monotonic() < deadline:
        log = email_worker.read_text()
        if "accounts.send_email" in log and "succeeded" in log:
            break
        time.sleep(0.3)
    assert "accounts.send_email" in log and "succeeded" in log, log[-2000:]
    assert any(line.rstrip().endswith(": 1") for line in log.splitlines() if "succeeded" in line), log[-2000:]
