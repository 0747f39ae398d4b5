"""Data-subject requests: export (ZIP of JSON, encrypted at rest, link valid 24 h) and erasure
(in every app through its services, then verified), and the erasure of a whole tenant.

Each request is a ``PrivacyRequest`` run by a Celery task. When an erasure finishes, the record
keeps only a keyed hash of the subject, the outcome and which tables (never which values) failed
verification, so it holds no personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import anonymise_user, export_account_data, revoke_all_tokens
from apps.analytics import event_store
from apps.analytics.models import Consent, JobStatus, PrivacyRequest, PrivacyRequestKind, ReportExport
from apps.analytics.privacy import grace, verify
from apps.analytics.signed_links import LINK_MAX_AGE, make_link_token, read_link_token
from apps.core.crypto import decrypt_bytes, encrypt_bytes
from apps.core.errors import ApplicationError, ErrorCode, Invalid, NotFound
from apps.core.outbox import enqueue_task
from apps.orders.privacy import anonymise_user_orders, export_user_orders
from apps.tenants.access import get_public_tenant
from apps.tenants.roles import role_has_permission
from apps.tenants.selectors import get_membership_role, list_members, list_memberships_for_user
from apps.tenants.services import (
    anonymise_audit_actor,
    delete_tenant,
    export_audit_entries,
    export_memberships,
    remove_user_from_tenants,
)

logger = logging.getLogger(__name__)
SALT = "analytics.privacy-export"
# A scheduled erasure waits for its grace period; a cancelled or finished one never runs.
NOT_RUNNABLE = (JobStatus.DONE, JobStatus.SCHEDULED, JobStatus.CANCELLED)


def subject_hash(kind: str, identifier) -> str:
    """A keyed hash naming a subject in records that must not hold personal data."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()


# --- export ----------------------------------------------------------------------------------------


def request_data_export(*, user) -> PrivacyRequest:
    """Queue a full export of what Bazaar holds about ``user``."""

    with transaction.atomic():
        request = PrivacyRequest.objects.create(
            kind=PrivacyRequestKind.EXPORT, user=user, subject=subject_hash("user", user.public_id)
        )
        enqueue_task("analytics.build_data_export", request.pk)
    return request


def collect_user_data(*, user) -> dict[str, object]:
    """Everything about ``user``, by file name: each app contributes through its services."""

    consent = Consent.objects.filter(user=user).first()
    return {
        "account.json": export_account_data(user=user),
        "memberships.json": export_memberships(user=user),
        "audit_entries.json": export_audit_entries(user=user),
        "orders.json": export_user_orders(user=user),
        "analytics_events.json": event_store.read_user_events(user_id=user.pk),
        "consent.json": {
            "analytics": bool(consent and consent.analytics),
            "updated_at": consent.updated_at.isoformat() if consent else None,
        },
        "privacy_requests.json": [
            {"kind": r.kind, "status": r.status, "created_at": r.created_at.isoformat()}
            for r in PrivacyRequest.objects.filter(user=user).order_by("created_at")
        ],
    }


def build_zip(files: dict[str, object]) -> bytes:
    """A ZIP of pretty-printed JSON files plus a short README."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            "Everything Bazaar holds about you, as JSON. Analytics events are only linked to you if you "
            "consented; anonymous visits cannot be attributed to anyone and are not included.\n",
        )
        for name, data in files.items():
            archive.writestr(name, json.dumps(data, indent=2, default=str, ensure_ascii=False))
    return buffer.getvalue()


def build_data_export(*, request_id: int) -> PrivacyRequest:
    """Build the encrypted ZIP, mark the request done and email the link (idempotent)."""
    request = PrivacyRequest.objects.select_related("user").get(pk=request_id)
    if request.status == JobStatus.DONE or request.user is None:
        return request
    data = build_zip(collect_user_data(user=request.user))
    name = default_storage.save(f"private/privacy/{request.public_id}.zip.enc", ContentFile(encrypt_bytes(data)))
    request.file_name = name
    request.status = JobStatus.DONE
    request.finished_at = timezone.now()
    request.save(update_fields=["file_name", "status", "finished_at"])
    send_mail(
        "Your Bazaar data export is ready",
        f"Download it within 24 hours (you will need to be signed in):\n{export_download_url(request)}\n",
        None,
        [request.user.email],
    )
    return request


def export_download_url(request: PrivacyRequest) -> str:
    token = make_link_token({"r": str(request.public_id)}, salt=SALT)
    return settings.SITE_URL.rstrip("/") + reverse("analytics-privacy:export-download", kwargs={"token": token})


def read_export(*, user, token: str) -> bytes:
    """The decrypted ZIP a token names, for its owner only, while the 24-hour link is valid."""
    data = read_link_token(token, salt=SALT, max_age=LINK_MAX_AGE)
    request = PrivacyRequest.objects.filter(
        public_id=data.get("r"), user_id=user.pk, kind=PrivacyRequestKind.EXPORT, status=JobStatus.DONE
    ).first()
    if request is None or not request.file_name:
        raise NotFound()
    if request.finished_at and timezone.now() - request.finished_at > timedelta(seconds=LINK_MAX_AGE):
        raise ApplicationError("This download link has expired.", code=ErrorCode.LINK_EXPIRED, status=410)
    with default_storage.open(request.file_name, "rb") as handle:
        return decrypt_bytes(handle.read())


# --- erasure of a user -----------------------------------------------------------------------------


def blocking_tenants(*, user) -> list[str]:
    """Shops where ``user`` is the last owner while others remain members (erasure must wait)."""

    blocking = []
    for membership in list_memberships_for_user(user=user):
        if membership.role != "owner":
            continue
        others = [m for m in list_members(tenant=membership.tenant) if m.user_id != user.pk]
        if others and not any(m.role == "owner" for m in others):
            blocking.append(membership.tenant.slug)
    return blocking


def request_erasure(*, user, confirm_email: str) -> PrivacyRequest:
    """Schedule the erasure of ``user``'s account after they typed their email address to confirm.

    It runs once the grace period is over (``grace``); the email sent now carries a cancel link.
    Callers have re-authenticated the person first (allauth on the page, ``password``/``code`` in
    the API).
    """
    if (confirm_email or "").strip().lower() != user.email.lower():
        raise Invalid(
            {"confirm_email": ["This is not your email address."]}, message="Type your email address to confirm."
        )
    blocking = blocking_tenants(user=user)
    if blocking:
        raise ApplicationError(
            f"Make someone else an owner of {', '.join(blocking)} first.",
            code=ErrorCode.LAST_OWNER,
            status=409,
            details={"tenants": blocking},
        )
    with transaction.atomic():
        request = PrivacyRequest.objects.create(
            kind=PrivacyRequestKind.ERASE, user=user, subject=subject_hash("user", user.public_id)
        )
        grace.schedule_erasure(request=request)
    return request


def erase_user(*, request_id: int) -> PrivacyRequest:
    """Erase the user in every app, then verify nothing is left. Safe to run again."""

    request = PrivacyRequest.objects.select_related("user").get(pk=request_id)
    if request.status in NOT_RUNNABLE:
        return request
    user = request.user
    if user is None:  # a previous run got past the deletion: only the verification is missing
        request.status, request.finished_at = JobStatus.DONE, timezone.now()
        request.save(update_fields=["status", "finished_at"])
        return request
    traces = {"user_pk": user.pk, "email": user.email, "name": user.name or "", "public_id": str(user.public_id)}
    request.status = JobStatus.RUNNING
    request.save(update_fields=["status"])
    revoke_all_tokens(user=user)
    with transaction.atomic():
        event_store.unlink_user(user_id=user.pk)
        Consent.objects.filter(user=user).delete()
        ReportExport.objects.all_tenants().filter(requested_by=user).update(requested_by=None)
        for old in PrivacyRequest.objects.filter(user=user).exclude(pk=request.pk):
            if old.file_name:
                default_storage.delete(old.file_name)
        PrivacyRequest.objects.filter(user=user).exclude(pk=request.pk).update(user=None, file_name="")
        # Orders are kept (accounting records) with the person's data replaced; carts deleted.
        anonymise_user_orders(user=user)
        remove_user_from_tenants(user=user)
        anonymise_audit_actor(user=user)
        # Detach the record first: it must outlive the account without pointing at it.
        PrivacyRequest.objects.filter(pk=request.pk).update(user=None)
        anonymise_user(user=user, delete=True)
    hits = verify.find_user_traces(**traces)
    request.refresh_from_db()
    request.status = JobStatus.DONE if not hits else JobStatus.FAILED
    request.verification = {"verified": not hits, "remaining": hits}
    request.finished_at = timezone.now()
    request.save(update_fields=["status", "verification", "finished_at"])
    if hits:
        logger.error("erasure left personal data behind", extra={"tables": hits})
    return request


# --- erasure of a tenant ---------------------------------------------------------------------------


def request_tenant_erasure(*, tenant, user, confirm_slug: str) -> PrivacyRequest:
    """Schedule the erasure of a whole tenant by an owner who typed its slug to confirm (grace
    period and cancel link as for an account)."""

    if not role_has_permission(get_membership_role(tenant=tenant, user=user), "tenant.delete"):
        raise ApplicationError("Only an owner can erase the shop.", code=ErrorCode.PERMISSION_DENIED, status=403)
    if (confirm_slug or "").strip() != tenant.slug:
        raise Invalid(
            {"confirm_slug": ["This is not the shop's address."]}, message="Type the shop's address to confirm."
        )
    with transaction.atomic():
        request = PrivacyRequest.objects.create(
            kind=PrivacyRequestKind.ERASE_TENANT,
            user=user,
            subject=subject_hash("tenant", tenant.public_id),
            verification={"tenant_id": tenant.pk, "tenant_slug": tenant.slug},
        )
        grace.schedule_erasure(request=request)
    return request


def erase_tenant(*, request_id: int) -> PrivacyRequest:
    """Delete the tenant with everything it owns (``apps.tenants.services.delete_tenant``); verify."""

    request = PrivacyRequest.objects.select_related("user").get(pk=request_id)
    if request.status in NOT_RUNNABLE:
        return request
    tenant_id = request.verification["tenant_id"]
    try:
        tenant = get_public_tenant(slug=request.verification["tenant_slug"])
    except Exception:  # noqa: BLE001  already deleted by an earlier run
        tenant = None
    if tenant is not None and tenant.pk == tenant_id:
        # The one deletion service: rows, raw events (analytics' hook) and files after commit.
        delete_tenant(tenant=tenant, by=request.user)
    else:  # deleted already: events the buffer drained since then are all that can be left
        event_store.delete_tenant_events(tenant_id=tenant_id)
    hits = verify.find_tenant_traces(tenant_id=tenant_id)
    request.status = JobStatus.DONE if not hits else JobStatus.FAILED
    request.verification = {"verified": not hits, "remaining": hits}
    request.finished_at = timezone.now()
    request.save(update_fields=["status", "verification", "finished_at"])
    return request
