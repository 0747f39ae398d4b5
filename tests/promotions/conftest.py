"""Promotions fixtures: the orders shop (20 % VAT, a flat 4.90 method, the test payment method)
and helpers to make vouchers and sales through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.promotions import services
from tests.orders.conftest import ADDRESS, TEST_METHOD, make_variant, ready_cart, setup_shop, shop, test_payment_method  # noqa: F401  # noqa: F401 - fixtures


def make_voucher(tenant, code="SAVE10", **fields):
    """A voucher through the service (percentage 10 by default)."""
    data = {"code": code, "kind": "percentage", "value": "10", **fields}
    return services.create_voucher(tenant=tenant, data=data)


def make_sale(tenant, *, products=None, category=None, percentage="25", starts_in=-60, lasts=3600, name="Winter sale"):
    """A sale through the service, starting ``starts_in`` seconds from now (negative: running)."""
    start = timezone.now() + timedelta(seconds=starts_in)
    data = {
        "name": name,
        "percentage": percentage,
        "products": [str(p.pk) for p in products or []],
        "category": category.pk if category else None,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(seconds=lasts)).isoformat(),
    }
    return services.create_sale(tenant=tenant, data=data)


@pytest.fixture
def an_hour_ago():
    return (timezone.now() - timedelta(hours=1)).isoformat()
