"""Builds the demo by calling each app's public demo function in dependency order.

tenants (the shop and one user per role) -> catalog (products) -> payments (bank transfer and
cash on delivery on) -> analytics (sample traffic).
Each step is idempotent, so ``make run`` can load the demo every time it starts.
"""

from __future__ import annotations

from django.conf import settings

from apps.analytics.demo import load_demo_traffic
from apps.catalog.demo import load_demo_catalog
from apps.payments.demo import load_demo_payments
from apps.tenants.demo import create_demo_tenant

DEMO_SLUG = "demo"


def load_demo(*, products: int = 200, base_url: str | None = None) -> list[str]:
    """Create or refresh the demo; return the lines to print (URLs and logins)."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    tenant, logins = create_demo_tenant(slug=DEMO_SLUG)
    product_count = load_demo_catalog(tenant=tenant, products=products)
    payment_methods = load_demo_payments(tenant=tenant)
    events = load_demo_traffic(tenant=tenant)
    lines = [
        "",
        f"  Site:         {base}/",
        f"  Storefront:   {base}/s/{tenant.slug}/   ({product_count} products)",
        f"  Console:      {base}/a/{tenant.slug}/   (catalog, members, analytics: {events} sample events)",
        f"  API docs:     {base}/api/v1/docs/     schema: {base}/api/v1/schema/",
        f"  Payments:     {', '.join(payment_methods)} enabled (mark bank transfers paid on the order page)",
        f"  Health:       {base}/healthz   {base}/readyz",
        f"  Admin:        {base}/admin/   (create staff with: manage.py createsuperuser)",
        "",
        "  Demo logins (role, email, password):",
    ]
    lines += [f"    {role:<8} {email:<28} {password}" for role, email, password in logins]
    lines.append("")
    return lines
