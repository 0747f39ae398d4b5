"""The grace period of erasures: a requested erasure (of an account or of a whole shop) waits
``PRIVACY_ERASURE_GRACE_MINUTES`` (24 hours by default) before it runs, and the person who asked
gets an email with a link that cancels it until then.

States: ``scheduled`` (cancellable, ``scheduled_for`` set) -> ``pending`` (the beat job
``analytics.run_due_erasures`` found it due and queued the erasure through the outbox) ->
``running`` -> ``done``/``failed``; or ``scheduled`` -> ``cancelled``. The cancel link is signed and
names only the request's public id; it works without signing in (erasing the account signs it out)
and only while the request is still scheduled.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.analytics import tasks  # noqa: F401  (registers the tasks enqueued below)
from apps.analytics.models import JobStatus, PrivacyRequest, PrivacyRequestKind
from apps.analytics.signed_links import make_link_token, read_link_token
from apps.core.errors import Conflict, ErrorCode, NotFound
from apps.core.outbox import enqueue_task

logger = logging.getLogger(__name__)
CANCEL_SALT = "analytics.privacy-erasure-cancel"
ERASURE_TASKS = {
    PrivacyRequestKind.ERASE: "analytics.erase_user",
    PrivacyRequestKind.ERASE_TENANT: "analytics.erase_tenant",
}


def grace_period() -> timedelta:
    """How long a requested erasure waits, cancellable (``PRIVACY_ERASURE_GRACE_MINUTES``)."""
    return timedelta(minutes=settings.PRIVACY_ERASURE_GRACE_MINUTES)


def schedule_erasure(*, request: PrivacyRequest) -> PrivacyRequest:
    """Put a new erasure request into its grace period and queue the email with the cancel link.

    Call inside the transaction that created ``request``: the email is sent only if it commits.
    """
    request.status = JobStatus.SCHEDULED
    request.scheduled_for = timezone.now() + grace_period()
    request.save(update_fields=["status", "scheduled_for"])
    enqueue_task("analytics.send_erasure_notice", request.pk)
    return request


def cancel_url(request: PrivacyRequest) -> str:
    """The absolute, signed link that cancels ``request`` while it is scheduled."""
    token = make_link_token({"r": str(request.public_id)}, salt=CANCEL_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("analytics-privacy:erase-cancel", kwargs={"token": token})


def _link_max_age() -> int:
    return int(grace_period().total_seconds()) + 3600


def get_cancellable(*, token: str) -> PrivacyRequest:
    """The erasure request a cancel link names (404 if forged, 410 ``link_expired`` when too old)."""
    data = read_link_token(token, salt=CANCEL_SALT, max_age=_link_max_age())
    request = PrivacyRequest.objects.filter(public_id=data.get("r"), kind__in=list(ERASURE_TASKS)).first()
    if request is None:
        raise NotFound()
    return request


@transaction.atomic
def cancel_erasure(*, token: str) -> PrivacyRequest:
    """Cancel the scheduled erasure a link names; idempotent once cancelled.

    Raises 409 ``erasure_started`` once the grace period is over and the erasure is under way.
    """
    request = PrivacyRequest.objects.select_for_update().get(pk=get_cancellable(token=token).pk)
    if request.status == JobStatus.CANCELLED:
        return request
    if request.status != JobStatus.SCHEDULED:
        raise Conflict(
            "The erasure has already started and can no longer be cancelled.", code=ErrorCode.ERASURE_STARTED
        )
    request.status = JobStatus.CANCELLED
    request.finished_at = timezone.now()
    request.save(update_fields=["status", "finished_at"])
    logger.info("erasure cancelled", extra={"security_event": "erasure_cancelled", "kind": request.kind})
    return request


def send_erasure_notice(*, request_id: int) -> bool:
    """Email the person who asked for an erasure: when it will run and the link that cancels it."""
    request = PrivacyRequest.objects.select_related("user").filter(pk=request_id).first()
    if request is None or request.status != JobStatus.SCHEDULED or request.user is None:
        return False
    what = (
        "your Bazaar account"
        if request.kind == PrivacyRequestKind.ERASE
        else (f"the shop {request.verification.get('tenant_slug', '')}")
    )
    when = request.scheduled_for.strftime("%Y-%m-%d %H:%M UTC")
    send_mail(
        "Erasure scheduled: you can still cancel it",
        f"You asked us to erase {what}. It will be erased after {when}.\n\n"
        f"If this was not you, or you changed your mind, cancel it here before then:\n{cancel_url(request)}\n",
        None,
        [request.user.email],
    )
    return True


def run_due_erasures(*, now=None) -> int:
    """Queue every scheduled erasure whose grace period is over (beat job, every minute)."""
    now = now or timezone.now()
    queued = 0
    with transaction.atomic():
        due = (
            PrivacyRequest.objects.select_for_update(skip_locked=True)
            .filter(status=JobStatus.SCHEDULED, scheduled_for__lte=now, kind__in=list(ERASURE_TASKS))
            .order_by("scheduled_for")[:100]
        )
        for request in due:
            request.status = JobStatus.PENDING
            request.save(update_fields=["status"])
            enqueue_task(ERASURE_TASKS[request.kind], request.pk)
            queued += 1
    return queued
