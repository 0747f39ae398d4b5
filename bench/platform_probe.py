"""In-process rows of the platform benchmark, run once per database by ``platform_bench.py``.

``python bench/platform_probe.py prepare``: a staff user and login sessions for the HTTP rows
(printed as JSON). ``python bench/platform_probe.py measure``: membership resolution with a cold
and a warm cache, and the GDPR export and erasure (with its verification walk) of the seeded
power user who is in ``--power-tenants`` tenants, inside a transaction that is rolled back so the
database stays as seeded. Prints one JSON document; asserts nothing.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from apps.accounts.seed import seed_user_email  # noqa: E402
from apps.tenants.access import invalidate_membership_cache, resolve_member_access  # noqa: E402
from apps.tenants.seed import seed_slug  # noqa: E402

STAFF_EMAIL = "platform-bench-staff@bench.invalid"
ITERATIONS = 200


def session_for(user) -> str:
    """A logged-in session id for ``user`` (saved in the database the server reads)."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def prepare() -> dict:
    users = get_user_model().objects
    staff = users.filter(email=STAFF_EMAIL).first() or users.create_superuser(STAFF_EMAIL, None)
    member = users.get(email=seed_user_email(0))
    tenant = member.memberships.select_related("tenant").get(tenant__slug=seed_slug(0)).tenant
    # The "small tenant" of both databases: one where user 0 is admin (the same page content),
    # with as few members as there are.
    small = (
        member.memberships.filter(role="admin")
        .exclude(tenant=tenant)
        .annotate(members=Count("tenant__memberships"))
        .select_related("tenant")
        .order_by("members", "tenant_id")
        .first()
    )
    paths = {
        "SMALL": small.tenant.slug,
        "small_members": small.members,
        "tenant_change": f"/admin/tenants/tenant/{tenant.pk}/change/",
        "membership_change": f"/admin/tenants/membership/{member.memberships.get(tenant=tenant).pk}/change/",
    }
    return {"staff_session": session_for(staff), "member_session": session_for(member), "paths": paths}


def timed_ms(fn, iterations: int) -> list[float]:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure_membership() -> dict:
    user = get_user_model().objects.get(email=seed_user_email(0))
    slug = seed_slug(0)

    def cold():
        invalidate_membership_cache(user_id=user.pk, slug=slug)
        resolve_member_access(user=user, slug=slug)

    return {
        "resolve_cold_ms": timed_ms(cold, ITERATIONS),
        "resolve_warm_ms": timed_ms(lambda: resolve_member_access(user=user, slug=slug), ITERATIONS),
    }


def measure_privacy() -> dict:
    """Export, then erase, seeded user 1 (a power user, never a last owner); rolled back."""
    from apps.analytics.privacy import requests as privacy
    from apps.analytics.privacy.verify import find_user_traces

    user = get_user_model().objects.get(email=seed_user_email(1))
    bystander = get_user_model().objects.get(email=seed_user_email(2))
    result = {"memberships": user.memberships.count()}
    with transaction.atomic():
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            files = privacy.collect_user_data(user=user)
            archive = privacy.build_zip(files)
        result["export_s"] = time.perf_counter() - started
        result["export_queries"] = len(queries)
        result["export_bytes"] = len(archive)
        result["exported_audit_entries"] = len(files["audit_entries.json"])
        request = privacy.request_erasure(user=user, confirm_email=user.email)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            done = privacy.erase_user(request_id=request.pk)
        result["erase_s"] = time.perf_counter() - started
        result["erase_queries"] = len(queries)
        result["erase_verification"] = done.verification
        started = time.perf_counter()
        traces = find_user_traces(
            user_pk=bystander.pk, email=bystander.email, name=bystander.name, public_id=str(bystander.public_id)
        )
        result["verify_walk_s"] = time.perf_counter() - started
        result["verify_finds_a_bystander_in"] = traces  # the walk still sees someone who was not erased
        transaction.set_rollback(True)
    return result


def ingest_target() -> dict:
    """The largest seeded tenant's analytics ingest path and key (for the beacon run)."""
    from apps.analytics.services import ingest_config
    from apps.tenants.access import get_public_tenant

    tenant = get_public_tenant(slug=seed_slug(0))
    key, _ = ingest_config(tenant=tenant)
    return {"path": f"/api/v1/t/{tenant.slug}/analytics/events", "key": key}


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "measure"
    if command == "prepare":
        out = prepare()
    elif command == "ingest-target":
        out = ingest_target()
    else:
        out = {**measure_membership(), **measure_privacy()}
    print(json.dumps(out, default=str))
