"""``manage.py seed_events --tenant <slug> --events N``: realistic traffic loaded with COPY."""

import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.analytics import event_store, rollups, services, traffic
from apps.tenants.access import get_public_tenant


class Command(BaseCommand):
    help = "Generate N realistic analytics events for a tenant (COPY on PostgreSQL) and build the rollups."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="Tenant slug")
        parser.add_argument("--events", type=int, required=True, help="How many events (10,000,000 is fine)")
        parser.add_argument("--days", type=int, default=30, help="Spread over the last N days (default 30)")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--chunk", type=int, default=200_000, help="Rows per COPY transaction")
        parser.add_argument("--skip-rollups", action="store_true", help="Only load raw events")

    def handle(self, *args, tenant, events, days, seed, chunk, skip_rollups, **options):
        if events < 1 or days < 1:
            raise CommandError("--events and --days must be positive")
        try:
            found = get_public_tenant(slug=tenant)
        except Exception as exc:  # noqa: BLE001  Http404 for an unknown slug
            raise CommandError(f"No tenant {tenant!r}") from exc
        services.get_or_create_settings(tenant=found)
        end = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0)
        start = end - timedelta(days=days)
        event_store.ensure_partitions(first=start.date(), last=end.date())
        started = time.perf_counter()
        rows = traffic.generate(
            tenant_id=found.pk, start=start, days=days, events=events, base_path=f"/s/{found.slug}/", seed=seed
        )
        total = 0
        while True:
            batch = [row for _, row in zip(range(chunk), rows, strict=False)]
            if not batch:
                break
            with transaction.atomic():
                total += event_store.copy_rows(batch)
            self.stdout.write(f"  {total:,} events", ending="\r")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"loaded {total:,} events in {elapsed:.1f}s ({total / max(elapsed, 1e-9):,.0f}/s)")
        if not skip_rollups:
            started = time.perf_counter()
            hours = rollups.rebuild_range(tenant_id=found.pk, first=start.date(), last=end.date())
            self.stdout.write(f"rolled up {hours:,} hours in {time.perf_counter() - started:.1f}s")
