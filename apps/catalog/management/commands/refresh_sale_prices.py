"""``manage.py refresh_sale_prices``: store every product's live sale again (sorting and price
filters use it), then bump each changed shop's catalog version. Run once after migration
catalog 0007; afterwards promotions' services and beat job keep it right."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.catalog import sale_prices, services


class Command(BaseCommand):
    help = "Recompute every product's stored sale percentage (and so its effective price) from the live sales."

    def handle(self, *args, **options):
        written = sale_prices.refresh_every_tenant()
        for tenant_id, count in written.items():
            if count:
                services.catalog_changed(tenant_id=tenant_id, reindex=False)
        self.stdout.write(f"{sum(written.values())} product rows written across {len(written)} shops")
