"""Issue 10 item 5: destruction needs a fresh password or code (API field; allauth's
re-authentication on pages), and an erasure waits out a grace period that the email's link
cancels. Real PostgreSQL, Redis, outbox and eager tasks."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from apps.analytics.models import PrivacyRequest
from apps.analytics.privacy import grace
from apps.tenants.models import Tenant
from tests.conftest import reauthenticate
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, TenantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs after-commit work (outbox publish, eager tasks) as a committed
    request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def cancel_path():
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/privacy/erase/cancel/" in line)
    return link[link.index("/privacy/") :]


def later():
    return timezone.now() + grace.grace_period() + timedelta(seconds=1)


@pytest.mark.parametrize("body", [{}, {"password": "not-my-password"}, {"code": "123456"}])
def test_api_erasure_without_a_fresh_proof_changes_nothing(user, body):
    response = api_for(user).post("/api/v1/me/erase", {"confirm_email": user.email, **body}, format="json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "reauthentication_required" and error["details"]["methods"] == ["password"]
    assert not PrivacyRequest.objects.exists()


def test_api_erasure_is_scheduled_then_cancelled_from_the_email(user, client, committed):
    body = {"confirm_email": user.email, "password": DEFAULT_PASSWORD}
    with committed():
        response = api_for(user).post("/api/v1/me/erase", body, format="json")
    assert response.status_code == 202 and response.json()["status"] == "scheduled"
    request = PrivacyRequest.objects.get(kind="erase")
    assert request.scheduled_for > timezone.now() + grace.grace_period() - timedelta(minutes=1)
    assert mail.outbox[-1].to == [user.email] and "cancel" in mail.outbox[-1].body

    page = client.get(cancel_path())  # no sign-in needed
    assert page.status_code == 200 and "Cancel the erasure" in page.content.decode()
    done = client.post(cancel_path())
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"
    with committed():
        assert grace.run_due_erasures(now=later()) == 0
    user.refresh_from_db()
    assert user.is_active and user.email  # nothing was erased
    assert client.post(cancel_path()).status_code == 302  # idempotent


def test_erasure_runs_after_the_grace_period_and_then_cannot_be_cancelled(user, client, committed):
    with committed():
        api_for(user).post(
            "/api/v1/me/erase", {"confirm_email": user.email, "password": DEFAULT_PASSWORD}, format="json"
        )
    assert grace.run_due_erasures(now=timezone.now()) == 0  # not yet
    assert type(user).objects.filter(pk=user.pk).exists()
    with committed():
        assert grace.run_due_erasures(now=later()) == 1
    assert PrivacyRequest.objects.get(kind="erase").status == "done"
    assert not type(user).objects.filter(pk=user.pk).exists()
    response = client.post(cancel_path())
    assert response.status_code == 409 and "already started" in response.content.decode()


def test_forged_cancel_link_is_404(client):
    assert client.get("/privacy/erase/cancel/forged-token/").status_code == 404


def test_a_two_factor_code_is_a_fresh_proof(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = api_for(user).post("/api/v1/me/erase", {"confirm_email": user.email, "code": code}, format="json")
    assert response.status_code == 202


def test_wrong_passwords_on_destructive_calls_count_toward_the_lockout(user, settings):
    api = api_for(user)
    body = {"confirm_email": user.email, "password": "wrong-password-9"}
    statuses = [
        api.post("/api/v1/me/erase", body, format="json").status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    right = {"confirm_email": user.email, "password": DEFAULT_PASSWORD}
    assert api.post("/api/v1/me/erase", right, format="json").status_code == 429
    assert not PrivacyRequest.objects.exists()


def test_api_tenant_delete_needs_a_fresh_proof(owner, tenant):
    api = api_for(owner)
    assert api.delete(f"/api/v1/t/{tenant.slug}/").json()["error"]["code"] == "reauthentication_required"
    assert Tenant.objects.filter(pk=tenant.pk).exists()
    assert api.delete(f"/api/v1/t/{tenant.slug}/", {"password": DEFAULT_PASSWORD}, format="json").status_code == 204


def test_pages_ask_allauth_to_reauthenticate_before_destruction(client, user):
    tenant = TenantFactory()
    MembershipFactory(tenant=tenant, user=user, role="owner")
    client.force_login(user)  # signed in, but not just now
    for path, data in (
        ("/privacy/erase/", {"confirm_email": user.email}),
        (f"/a/{tenant.slug}/delete/", {"confirm_slug": tenant.slug}),
        (f"/a/{tenant.slug}/analytics/erase/", {"confirm_slug": tenant.slug}),
    ):
        response = client.post(path, data)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/"), path
    assert not PrivacyRequest.objects.exists() and Tenant.objects.filter(pk=tenant.pk).exists()
    # The password again: allauth replays the suspended POST.
    resumed = client.post(
        f"/accounts/reauthenticate/?next=/a/{tenant.slug}/analytics/erase/", {"password": DEFAULT_PASSWORD}
    )
    assert resumed.status_code == 302
    assert PrivacyRequest.objects.get(kind="erase_tenant").status == "scheduled"
    reauthenticate(client)
    assert client.post("/privacy/erase/", {"confirm_email": user.email}).status_code == 302
    assert PrivacyRequest.objects.filter(kind="erase", status="scheduled").count() == 1


def test_other_user_cannot_erase_with_own_password(user):
    other = UserFactory()
    response = api_for(other).post(
        "/api/v1/me/erase", {"confirm_email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 400  # the email is not theirs: nothing scheduled
    assert not PrivacyRequest.objects.exists()
