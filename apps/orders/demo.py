"""The demo shop sells (``apps.demo.loader``): shipping zones and methods, a tax rate, and a few
past orders in several states. Idempotent; works on SQLite and PostgreSQL.

Payment methods come from the payments app (its demo enables bank transfer and cash on
delivery); :func:`load_demo_orders` runs after it and places the past orders with the first
available method, or places none if no method is available yet.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.orders import hooks, selectors, services
from apps.orders.models import Order, ShippingZone

EU = ["AT", "BE", "DE", "DK", "ES", "FI", "FR", "IE", "IT", "LU", "NL", "PT", "SE"]
DEMO_ADDRESS = {
    "name": "Ada Lovelace",
    "line1": "12 Rue de la Paix",
    "city": "Paris",
    "postal_code": "75002",
    "country": "FR",
}
PAST_ORDERS = [  # (days ago, what happened after placing)
    (9, "fulfilled"),
    (6, "paid"),
    (4, "cancelled"),
    (2, "unpaid"),
    (0, "unpaid"),
]


def load_demo_selling(*, tenant) -> dict:
    """Zones (EU, rest of Europe), methods (standard, express, freight by weight) and a 20 % default
    VAT; nothing is added when the tenant already has zones."""
    if not ShippingZone.objects.for_tenant(tenant).exists():
        eu = services.create_shipping_zone(tenant=tenant, name="European Union", countries_value=EU)
        services.create_shipping_method(
            tenant=tenant,
            zone_id=eu.pk,
            data={
                "name": "Standard",
                "price": "4.90",
                "free_over": "60",
                "max_weight_grams": "5000",
                "delivery_estimate": "2-4 business days",
            },
        )
        services.create_shipping_method(
            tenant=tenant,
            zone_id=eu.pk,
            data={"name": "Express", "price": "9.90", "delivery_estimate": "next business day"},
        )
        services.create_shipping_method(
            tenant=tenant,
            zone_id=eu.pk,
            data={
                "name": "Freight",
                "price": "29.00",
                "min_weight_grams": "5001",
                "delivery_estimate": "5-8 business days",
            },
        )
        other = services.create_shipping_zone(tenant=tenant, name="Rest of Europe", countries_value=["CH", "GB", "NO"])
        services.create_shipping_method(
            tenant=tenant,
            zone_id=other.pk,
            data={"name": "International", "price": "14.90", "delivery_estimate": "4-7 business days"},
        )
        services.set_tax_rate(tenant=tenant, country="", rate="20", name="VAT")
        services.set_tax_rate(tenant=tenant, country="DE", rate="19", name="MwSt")
    return {"zones": selectors.list_shipping_zones(tenant=tenant).count()}


def load_demo_orders(*, tenant, variant_ids: list[int]) -> int:
    """A few past orders in several states, placed through the services; returns how many the
    tenant has. Places none if the tenant already has orders or no payment method is available."""
    methods = hooks.list_payment_methods(tenant)
    if Order.objects.for_tenant(tenant).exists() or not methods or not variant_ids:
        return Order.objects.for_tenant(tenant).count()
    standard = next(
        q
        for q in selectors.list_shipping_quotes(tenant=tenant, country="FR", subtotal=0, weight_grams=0)
        if q.name == "Standard"
    )
    now = timezone.now()
    for index, (days_ago, outcome) in enumerate(PAST_ORDERS):
        cart = services.create_cart(tenant=tenant)
        for variant_id in variant_ids[index : index + 2]:
            services.add_to_cart(tenant=tenant, cart=cart, variant_id=variant_id, quantity=1)
        services.update_checkout(
            tenant=tenant,
            cart=cart,
            data={
                "email": f"shopper{index + 1}@example.com",
                "shipping_address": DEMO_ADDRESS,
                "shipping_method": standard.method_id,
                "payment_method": methods[index % len(methods)].code,
            },
        )
        order = services.place_order(tenant=tenant, cart=cart).order
        if outcome in ("paid", "fulfilled"):
            services.record_payment_status(tenant=tenant, order_id=order.pk, status="paid", note="demo")
        if outcome == "fulfilled":
            services.fulfil_order(tenant=tenant, order_id=order.pk)
        if outcome == "cancelled":
            services.cancel_order(tenant=tenant, order_id=order.pk, reason="demo: changed their mind")
        Order.objects.for_tenant(tenant).filter(pk=order.pk).update(created_at=now - timedelta(days=days_ago))
    return Order.objects.for_tenant(tenant).count()
