"""Sale prices under concurrency on the real PostgreSQL: the beat job announcing the end of one
sale while a console save of another sale of the same shop is still uncommitted.

Without the per-tenant lock in ``apps.catalog.sale_prices.refresh_sale_percentages`` the beat job
reads the live sales before the save commits, waits on the product row the save updated, and
then writes its stale answer over it: the product on the new sale loses its stored sale price.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.catalog.models import Product
from apps.promotions.models import Sale
from apps.promotions.sales import announce_sale_changes
from tests.catalog.factories import make_product
from tests.promotions.conftest import make_sale

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_beat_job_does_not_overwrite_a_sale_saved_at_the_same_time(tenant):
    lamp = make_product(tenant, "Lamp", price="30.00")
    ending = make_sale(tenant, products=[lamp], percentage="10", name="Ending")
    assert Product.objects.for_tenant(tenant).get(pk=lamp.pk).sale_percentage == Decimal("10.00")
    Sale.objects.for_tenant(tenant).filter(pk=ending.pk).update(ends_at=timezone.now() - timedelta(seconds=1))

    saved, release, errors = threading.Event(), threading.Event(), []

    def save_new_sale():  # the console: a 40 % sale on the lamp, committed only when released
        try:
            with transaction.atomic():
                make_sale(tenant, products=[lamp], percentage="40", name="New")
                saved.set()
                release.wait(timeout=20)
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)
        finally:
            saved.set()
            connection.close()

    def run_beat():
        try:
            assert announce_sale_changes() == 1  # the end of "Ending"
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)
        finally:
            connection.close()

    console = threading.Thread(target=save_new_sale)
    console.start()
    assert saved.wait(timeout=20)
    beat = threading.Thread(target=run_beat)
    beat.start()
    time.sleep(0.5)  # the beat job is now waiting (on the lock, or without it on the lamp's row)
    release.set()
    console.join(timeout=30)
    beat.join(timeout=30)
    assert not errors, errors
    assert Product.objects.for_tenant(tenant).get(pk=lamp.pk).effective_price_min == Decimal("18.00")
