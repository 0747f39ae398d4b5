"""Tenant-scoped URL names that are public on purpose, each with its reason.

The isolation matrix (tests/tenants/test_isolation_matrix.py) requires every view under
``/api/v1/t/<tenant_slug>/`` and ``/a/<tenant_slug>/`` to check membership, except those listed
here. Add a view here only with a reason a reviewer would accept.
"""

PUBLIC_TENANT_VIEWS: dict[str, str] = {
    # "url-name": "why it is public",
    "analytics-api:events": "analytics ingest: authenticated by the tenant's write-only ingest key, not membership",
    "storefront:home": "public storefront: the shop's front page, published products only",
    "storefront:search": "public storefront: product search, published products only",
    "storefront:suggest": "public storefront: search-as-you-type suggestions, published products and categories only",
    "storefront:category": "public storefront: category pages, published products only",
    "storefront:product": "public storefront: product pages, published products only",
    "storefront:sitemap": "public storefront: sitemap.xml for search engines",
    "storefront:robots": "public storefront: robots.txt for search engines",
    "storefront:page": "public storefront: the shop's published content pages (about, terms ...)",
    "storefront:theme": "public storefront: the shop's theme stylesheet (its public colours)",
    "storefront:media": "public storefront: product images of the shop (only its own files)",
    "catalog-api:public-product-list": "public read-only API for mobile shop apps: published products only",
    "catalog-api:public-product-detail": "public read-only API for mobile shop apps: a published product",
    "catalog-api:public-category-list": "public read-only API for mobile shop apps: the category tree",
    "orders-api:cart-create": "shopping API: anyone may start a cart; its token is the credential",
    "orders-api:cart-detail": "shopping API: the cart token in the URL is the credential (UUID, 122 random bits)",
    "orders-api:cart-lines": "shopping API: the cart token in the URL is the credential",
    "orders-api:cart-line-detail": "shopping API: the cart token in the URL is the credential",
    "orders-api:cart-accept-prices": "shopping API: the cart token in the URL is the credential",
    "orders-api:cart-voucher": "shopping API: the cart token in the URL is the credential (a voucher code)",
    "orders-api:cart-checkout": "shopping API: the cart token in the URL is the credential (guest checkout)",
    "orders-api:cart-shipping-methods": "shopping API: the cart token in the URL is the credential",
    "orders-api:cart-payment-methods": "shopping API: the cart token in the URL is the credential",
    "orders-api:cart-hold": "shopping API: the cart token in the URL is the credential",
    "orders-api:cart-place-order": "shopping API: the cart token is the credential; guests may order",
    "orders-api:my-orders": "a shopper's own orders: any signed-in user, filtered to their own rows, not membership",
    "orders-api:my-order-detail": "a shopper's own order: any signed-in user, filtered to their own rows",
    "payments-api:stripe-webhook": "Stripe webhooks: the shop's own Stripe-Signature secret is the credential",
}
