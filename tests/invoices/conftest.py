"""Invoices fixtures: the orders shop (20 % VAT, FR/DE, the test payment method) and paid orders."""

from __future__ import annotations

import itertools

import pytest

from apps.invoices import services as invoice_services
from apps.orders import services
from tests.orders.conftest import make_variant, ready_cart, setup_shop, test_payment_method  # noqa: F401

SELLER = {"legal_name": "Kettle & Co SAS", "legal_address": "12 Rue du Four\n75006 Paris", "tax_id": "FR40123456789"}


@pytest.fixture
def shop(tenant):
    """``tenant`` selling with invoice details; returns its shipping method."""
    invoice_services.update_invoice_settings(tenant=tenant, data=SELLER)
    return setup_shop(tenant)


def place(tenant, method, items, *, email="ada@example.com", user=None):
    """A placed (unpaid) order of ``items`` [(variant, quantity)]."""
    cart = ready_cart(tenant, method, items, email=email, user=user)
    return services.place_order(tenant=tenant, cart=cart).order


def pay(tenant, order):
    """Mark ``order`` paid (the payment listener enqueues its invoice)."""
    return services.record_payment_status(tenant=tenant, order_id=order.pk, status="paid")


NAMES = itertools.count(1)


def paid_order(tenant, method, items=None, **kwargs):
    """A paid order (of two 12.00 items of a new product unless ``items`` are given)."""
    items = items or [(make_variant(tenant, price="12.00", stock=50, name=f"Cup {next(NAMES)}"), 2)]
    order = place(tenant, method, items, **kwargs)
    pay(tenant, order)
    order.refresh_from_db()
    return order
