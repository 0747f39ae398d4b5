"""``manage.py seed_catalog --tenant <slug> --products 50000 [--reset] [--create-tenant]``."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from apps.catalog.seed import delete_tenant_catalog, seed_catalog
from apps.tenants import selectors as tenant_selectors
from apps.tenants.seed import create_bare_tenant


class Command(BaseCommand):
    help = "Generate a realistic catalog (categories, products, variants, prices, stock) for a tenant."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", required=True, help="tenant slug")
        parser.add_argument("--products", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--reset", action="store_true", help="delete the tenant's products first")
        parser.add_argument("--create-tenant", action="store_true", help="create the tenant if it does not exist")

    def handle(self, *args, tenant: str, products: int, seed: int, reset: bool, create_tenant: bool, **options):
        if products < 1 or products > 1_000_000:
            raise CommandError("--products must be between 1 and 1000000")
        found = tenant_selectors.get_tenant_by_slug(slug=tenant)
        if found is None:
            if not create_tenant:
                raise CommandError(f"No tenant {tenant!r} (pass --create-tenant to make one)")
            found = create_bare_tenant(slug=tenant)
        started = time.perf_counter()
        if reset:
            delete_tenant_catalog(tenant=found)
        counts = seed_catalog(tenant=found, products=products, seed=seed)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"seeded {counts['products']} products, {counts['variants']} variants, "
            f"{counts['categories']} leaf categories for {found.slug} in {elapsed:.1f} s"
        )
