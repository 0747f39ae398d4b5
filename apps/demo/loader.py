"""Builds the demo by calling each app's public demo function in dependency order.

tenants (the shop and one user per role) -> catalog (products) -> orders (shipping, tax) ->
payments (enables payment methods) -> orders (past orders) -> promotions (a voucher, a sale) ->
analytics (sample traffic).
Each step is idempotent, so ``make run`` can load the demo every time it starts.
"""

from __future__ import annotations

from django.conf import settings

from apps.analytics.demo import load_demo_traffic
from apps.catalog import selectors as catalog_selectors
from apps.catalog.demo import load_demo_catalog
from apps.invoices.demo import load_demo_invoicing
from apps.orders.demo import load_demo_orders, load_demo_selling
from apps.payments.demo import load_demo_payments
from apps.promotions.demo import load_demo_promotions
from apps.tenants.demo import create_demo_tenant

DEMO_SLUG = "demo"


def load_demo(*, products: int = 200, base_url: str | None = None) -> list[str]:
    """Create or refresh the demo; return the lines to print (URLs and logins)."""
    base = (base_url or settings.SITE_URL).rstrip("/")
    tenant, logins = create_demo_tenant(slug=DEMO_SLUG)
    product_count = load_demo_catalog(tenant=tenant, products=products)
    load_demo_selling(tenant=tenant)
    payment_methods = load_demo_payments(tenant=tenant)
    load_demo_invoicing(tenant=tenant)
    order_count = load_demo_orders(
        tenant=tenant, variant_ids=catalog_selectors.list_sellable_variant_ids(tenant=tenant, limit=12, min_available=3)
    )
    promotions = load_demo_promotions(tenant=tenant)
    events = load_demo_traffic(tenant=tenant)
    sale = f"20 % off {promotions['sale_category']}" if promotions["sale_category"] else "no sale (no category)"
    lines = [
        "",
        f"  Site:         {base}/",
        f"  Storefront:   {base}/s/{tenant.slug}/   ({product_count} products)",
        f"  Console:      {base}/a/{tenant.slug}/   (catalog, members, analytics: {events} sample events)",
        f"  Orders:       {base}/a/{tenant.slug}/orders/   ({order_count} past orders; shipping, tax: Settings)",
        f"  Buy:          open a product, Add to cart, then {base}/s/{tenant.slug}/cart/ -> Checkout; an address in",
        "                France or Germany (e.g. 1 Rue de la Paix, 75002 Paris, FR), Standard shipping, then pay by",
        "                bank transfer or cash on delivery; the order page and the email show how to pay.",
        f"  Promotions:   code {promotions['voucher']} in the cart; {sale}",
        f"  API docs:     {base}/api/v1/docs/     schema: {base}/api/v1/schema/",
        f"  Payments:     {', '.join(payment_methods)} enabled (mark bank transfers paid on the order page)",
        f"  Invoices:     paid orders get a PDF (order page, My orders); {base}/a/{tenant.slug}/invoices/settings/",
        f"  Health:       {base}/healthz   {base}/readyz",
        f"  Admin:        {base}/admin/   (create staff with: manage.py createsuperuser)",
        "",
        "  Demo logins (role, email, password):",
    ]
    lines += [f"    {role:<8} {email:<28} {password}" for role, email, password in logins]
    lines.append("")
    return lines
