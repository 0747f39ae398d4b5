"""Account mail really goes through Celery: with eager mode off, signing up publishes a task that a
real worker (subprocess, RabbitMQ, a queue unique to this run) executes and reports as sent."""

import time

import pytest

from tests.accounts.conftest import STRONG_PASSWORD


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_signup_mail_is_sent_by_a_real_worker(real_worker, client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {"email": "queued@example.com", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )
    assert response.status_code == 302
    assert mailoutbox == []  # not sent in the request: it was queued
    deadline = time.monotonic() + 40
    log = ""
    while time.monotonic() < deadline:
        log = real_worker.log()
        if "accounts.send_email" in log and "succeeded" in log:
            break
        time.sleep(0.3)
    assert "accounts.send_email" in log and "succeeded" in log, log[-2000:]
    assert any(line.rstrip().endswith(": 1") for line in log.splitlines() if "succeeded" in line), log[-2000:]
