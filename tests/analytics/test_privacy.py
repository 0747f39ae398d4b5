"""GDPR: export holds everything, erasure leaves nothing (checked by a full database dump too),
tenant erasure, consent, and the confirmations that guard them."""

import io
import json
import os
import subprocess
import uuid
import zipfile
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from apps.analytics import event_store, services
from apps.analytics.event_store import EventRow
from apps.analytics.models import PrivacyRequest, ReportExport
from apps.analytics.privacy import grace, verify
from apps.tenants import services as tenant_services
from tests.conftest import reauthenticate
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, TenantFactory, UserFactory


def linked_event(tenant, user, **fields):
    now = datetime.now(tz=UTC)
    row = EventRow(
        tenant_id=tenant.pk,
        occurred_at=now,
        event_id=str(uuid.uuid4()),
        received_at=now,
        type="page_view",
        visitor="x" * 32,
        user_id=user.pk,
        url="/s/shop/",
        **fields,
    )
    event_store.write_batch([row])
    return row


@pytest.fixture
def subject(db):
    """A user who created a shop (owner, audit entry), joined another, consented and browsed."""
    user = UserFactory(name="Zelda Quartermain")
    own = tenant_services.create_tenant(user=user, name="Zelda's", slug="zeldas")
    other = TenantFactory()
    MembershipFactory(tenant=other, user=UserFactory(), role="owner")
    MembershipFactory(tenant=other, user=user, role="editor")
    services.set_consent(user=user, analytics=True)
    linked_event(other, user)
    linked_event(other, user, props={"plan": "gold"})
    ReportExport.objects.create(
        tenant=other, requested_by=user, report="pages", date_from="2026-01-01", date_to="2026-01-02"
    )
    return {"user": user, "own": own, "other": other}


@pytest.mark.django_db
def test_export_holds_everything_and_is_encrypted_at_rest(client, subject, django_capture_on_commit_callbacks):
    user = subject["user"]
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/privacy/export/").status_code == 302
    request = PrivacyRequest.objects.get(user=user, kind="export")
    assert request.status == "done"
    with default_storage.open(request.file_name, "rb") as handle:
        at_rest = handle.read()
    assert not at_rest.startswith(b"PK") and user.email.encode() not in at_rest
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/privacy/exports/" in line)
    response = client.get(link[link.index("/privacy/") :])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert set(files) >= {
        "account.json",
        "memberships.json",
        "audit_entries.json",
        "analytics_events.json",
        "consent.json",
    }
    account = json.loads(files["account.json"])
    assert account["account"]["email"] == user.email and account["account"]["name"] == "Zelda Quartermain"
    memberships = json.loads(files["memberships.json"])
    assert {m["tenant"] for m in memberships} == {"zeldas", subject["other"].slug}
    assert any(entry["action"] == "tenant.create" for entry in json.loads(files["audit_entries.json"]))
    events = json.loads(files["analytics_events.json"])
    assert len(events) == 2 and {"plan": "gold"} in [e["props"] for e in events]
    assert json.loads(files["consent.json"])["analytics"] is True
    page = client.get("/privacy/").content.decode()
    assert "Download (valid 24 h)" in page and "/privacy/exports/" in page
    # Someone else cannot use the link.
    client.force_login(UserFactory())
    assert client.get(link[link.index("/privacy/") :]).status_code == 404


@pytest.mark.django_db
def test_export_api(client, subject, django_capture_on_commit_callbacks):
    client.force_login(subject["user"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/me/export")
    assert response.status_code == 202 and response.json()["kind"] == "export"
    assert PrivacyRequest.objects.get(public_id=response.json()["id"]).status == "done"


@pytest.mark.django_db
def test_erasure_needs_confirmation_and_a_successor_owner(client, subject):
    user = subject["user"]
    client.force_login(user)
    reauthenticate(client)
    response = client.post("/privacy/erase/", {"confirm_email": "someone@else.example"})
    assert response.status_code == 400 and "This is not your email address." in response.content.decode()
    MembershipFactory(tenant=subject["own"], user=UserFactory(), role="editor")  # now others depend on the shop
    response = client.post("/privacy/erase/", {"confirm_email": user.email})
    assert response.status_code == 409 and "zeldas" in response.content.decode()
    body = {"confirm_email": user.email, "password": DEFAULT_PASSWORD}
    api = client.post("/api/v1/me/erase", body, content_type="application/json")
    assert api.status_code == 409 and api.json()["error"]["code"] == "last_owner"
    assert not PrivacyRequest.objects.filter(kind="erase").exists()
    user.refresh_from_db()
    assert user.is_active


def pg_dump_text() -> str:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    result = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            db["NAME"],
        ],
        capture_output=True,
        env=env,
        check=True,
    )
    return result.stdout.decode()


@pytest.mark.django_db(transaction=True)
def test_after_erasure_no_table_holds_the_user(client, subject):
    user = subject["user"]
    email, name, public_id, pk = user.email, user.name, str(user.public_id), user.pk
    client.force_login(user)
    reauthenticate(client)
    response = client.post("/privacy/erase/", {"confirm_email": email})
    assert response.status_code == 302
    assert PrivacyRequest.objects.get(kind="erase").status == "scheduled"  # the grace period
    assert grace.run_due_erasures(now=timezone.now() + grace.grace_period()) == 1  # tasks run eagerly
    record = PrivacyRequest.objects.get(kind="erase")
    assert record.status == "done", record.verification
    assert record.verification == {"verified": True, "remaining": []}
    assert record.user_id is None and email not in json.dumps(record.verification)
    assert verify.find_user_traces(user_pk=pk, email=email, name=name, public_id=public_id) == []
    # Independently of our own check: a full dump of the database.
    dump = pg_dump_text()
    assert email not in dump and name not in dump and public_id not in dump
    # The events stay, anonymous; the shop only Zelda belonged to is gone, the shared one remains.
    assert event_store.count_events(tenant_id=subject["other"].pk) == 2
    assert event_store.count_user_events(user_id=pk) == 0
    assert not type(subject["own"]).objects.filter(pk=subject["own"].pk).exists()
    assert client.get("/privacy/").status_code == 302  # signed out


@pytest.mark.django_db
def test_verification_finds_leftovers(subject):
    user = subject["user"]
    hits = verify.find_user_traces(user_pk=user.pk, email=user.email, name=user.name, public_id=str(user.public_id))
    assert "accounts_user.email" in hits and "analytics_event.user_id" in hits and "analytics_consent.user_id" in hits


@pytest.mark.django_db(transaction=True)
def test_owner_erases_a_whole_tenant(client, tenant, owner, make_member):
    linked_event(tenant, owner)
    services.get_or_create_settings(tenant=tenant)
    client.force_login(make_member(tenant, "admin"))
    assert client.post(f"/a/{tenant.slug}/analytics/erase/", {"confirm_slug": tenant.slug}).status_code == 403
    client.force_login(owner)
    reauthenticate(client)
    response = client.post(f"/a/{tenant.slug}/analytics/erase/", {"confirm_slug": "wrong"})
    assert response.status_code == 400
    assert client.post(f"/a/{tenant.slug}/analytics/erase/", {"confirm_slug": tenant.slug}).status_code == 302
    grace.run_due_erasures(now=timezone.now() + grace.grace_period())
    record = PrivacyRequest.objects.get(kind="erase_tenant")
    assert record.status == "done" and record.verification == {"verified": True, "remaining": []}
    assert event_store.count_events(tenant_id=tenant.pk) == 0
    assert verify.find_tenant_traces(tenant_id=tenant.pk) == []


@pytest.mark.django_db
def test_consent_page_and_api(client, user):
    client.force_login(user)
    assert client.get("/privacy/").status_code == 200
    assert client.get("/api/v1/me/consent").json() == {"analytics": False}
    client.post("/privacy/consent/", {"analytics": "on"})
    assert services.has_consent(user=user)
    response = client.put("/api/v1/me/consent", {"analytics": False}, content_type="application/json")
    assert response.json() == {"analytics": False} and not services.has_consent(user=user)
    assert client.put("/api/v1/me/consent", {"analytics": "maybe"}, content_type="application/json").status_code == 400
    client.logout()
    response = client.get("/api/v1/me/consent")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_export_files_expire_after_24_hours(client, subject, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from apps.analytics import tasks

    user = subject["user"]
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/privacy/export/")
    request = PrivacyRequest.objects.get(user=user, kind="export")
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/privacy/exports/" in line)
    path = link[link.index("/privacy/") :]
    PrivacyRequest.objects.filter(pk=request.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    assert client.get(path).status_code == 410  # even with a freshly signed link
    assert tasks.enforce_retention.delay().get()["files_purged"] == 1
    request.refresh_from_db()
    assert request.file_name == "" and "Download (valid 24 h)" not in client.get("/privacy/").content.decode()
