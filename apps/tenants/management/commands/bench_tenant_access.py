"""Benchmark the membership check: ``manage.py bench_tenant_access [--iterations N]``.

Prints per-call times for resolving a member's access with a cold cache (database) and a warm
cache, and for a full console request through the test client. Numbers only; nothing asserted.
Creates its own tenant and user (slug ``bench-access``) and removes them afterwards.
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.test import Client

from apps.tenants.access import invalidate_membership_cache, resolve_member_access
from apps.tenants.models import Membership, Tenant


def _timed(fn, iterations: int) -> list[float]:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


class Command(BaseCommand):
    help = "Time the tenant membership check (cold cache, warm cache, whole console request)."

    def add_arguments(self, parser):
        parser.add_argument("--iterations", type=int, default=200)

    def handle(self, *args, iterations: int, **options):
        user_model = get_user_model()
        user = user_model.objects.create_user("bench-access@bazaar.local", None)
        tenant = Tenant.objects.create(name="Bench", slug="bench-access")
        Membership.objects.create(tenant=tenant, user=user, role="viewer")
        try:

            def cold():
                invalidate_membership_cache(user_id=user.pk, slug=tenant.slug)
                resolve_member_access(user=user, slug=tenant.slug)

            def warm():
                resolve_member_access(user=user, slug=tenant.slug)

            client = Client()
            client.force_login(user)

            def page():
                assert client.get(f"/a/{tenant.slug}/").status_code == 200

            for label, fn in (("resolve (cold cache)", cold), ("resolve (warm cache)", warm), ("GET /a/<slug>/", page)):
                samples = sorted(_timed(fn, iterations))
                p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
                self.stdout.write(
                    f"{label:24s} n={iterations:5d}  median={statistics.median(samples):8.3f} ms  p95={p95:8.3f} ms"
                )
        finally:
            tenant.delete()
            user.delete()
