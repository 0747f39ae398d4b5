"""Test-only Celery tasks, imported by the eager tests and by the real worker (``-I``)."""

import uuid

from celery import shared_task
from django.contrib.auth.models import Group
from django.db import OperationalError, transaction

from apps.core.context import get_request_id
from apps.core.idempotency import claim_message

ATTEMPTS: dict[str, int] = {}


@shared_task(name="tests.probe.record_once")
def record_once(key: str) -> str:
    """Effect: one new Group row per run (not idempotent by itself), guarded by the message key.

    The row's name carries the request id the task saw, so tests can check it crossed over.
    """
    with transaction.atomic():
        if not claim_message(key=key, task="tests.probe.record_once"):
            return "duplicate"
        Group.objects.create(name=f"probe:{key}:{uuid.uuid4().hex[:6]}:{get_request_id() or '-'}")
    return "applied"


@shared_task(name="tests.probe.flaky")
def flaky(key: str, failures: int) -> int:
    """Fails with a transient database error ``failures`` times, then succeeds."""
    ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
    if ATTEMPTS[key] <= failures:
        raise OperationalError("server closed the connection unexpectedly")
    return ATTEMPTS[key]


@shared_task(name="tests.probe.flaky_db")
def flaky_db(key: str, failures: int) -> str:
    """Like ``flaky`` but counts attempts in the database, so a worker process can be observed."""
    Group.objects.create(name=f"attempt:{key}:{uuid.uuid4().hex[:8]}")
    if Group.objects.filter(name__startswith=f"attempt:{key}:").count() <= failures:
        raise OperationalError("could not connect to server: Connection refused")
    Group.objects.create(name=f"done:{key}")
    return "done"


@shared_task(name="tests.probe.broken")
def broken(key: str) -> None:
    """Fails with a programming error: not transient, never retried."""
    ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
    raise ValueError("a bug, not a transient failure")


@shared_task(name="tests.probe.seen_request_id")
def seen_request_id() -> str | None:
    return get_request_id()


@shared_task(name="tests.probe.seen_context")
def seen_context() -> list:
    from apps.core import context

    return [context.tenant_var.get(), context.user_id_var.get()]


@shared_task(name="tests.probe.read_alias")
def read_alias() -> str:
    """Which database alias a task's reads use (the router's choice)."""
    return Group.objects.all().db
