"""OpenAPI tags: one per resource, grouped for Redoc's sidebar (``x-tagGroups``).

A drf-spectacular post-processing hook (:func:`assign_tags`) names each operation's tag from its
path with the first matching rule of ``TAG_RULES``, so a new endpoint under a known prefix lands
in its resource's section, and one under no known prefix fails the schema test instead of
showing up as the path's first segment (``t``)."""

from __future__ import annotations

import re

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
T = r"^/api/v1/t/\{tenant_slug\}/"

# (path pattern, tag): first match wins.
TAG_RULES: list[tuple[str, str]] = [
    (r"^/api/v1/auth/", "Authentication"),
    (r"^/api/v1/me/(consent|erase|export)", "Privacy"),
    (r"^/api/v1/me", "Account"),
    (r"^/api/v1/invitations/", "Invitations"),
    (r"^/api/v1/tenants$", "Shops"),
    (T + r"catalog/public/", "Storefront catalog"),
    (T + r"catalog/categories/", "Categories"),
    (T + r"catalog/products/\{id\}/images/", "Product images"),
    (T + r"catalog/products/\{id\}/variants/", "Variants"),
    (T + r"catalog/products", "Products"),
    (T + r"carts/", "Carts and checkout"),
    (T + r"orders/mine/", "My orders"),
    (T + r"orders/", "Orders"),
    (T + r"customers/", "Customers"),
    (T + r"payments/", "Payments"),
    (T + r"promotions/", "Promotions"),
    (T + r"analytics/", "Analytics"),
    (T + r"(members/|invitations/|leave)", "Members"),
    (T + r"audit/", "Audit log"),
    (T + r"$", "Shops"),
]
TAG_DESCRIPTIONS: dict[str, str] = {
    "Authentication": "JWT access and refresh tokens: obtain, refresh (rotating), sign out. "
    "See [Getting started](/api/v1/docs/getting-started/).",
    "Account": "The signed-in person.",
    "Privacy": "GDPR self-service: consent, export, erasure.",
    "Invitations": "Accepting an invitation to join a shop.",
    "Shops": "Shops (tenants) you belong to; create one, read and change its settings.",
    "Storefront catalog": "Public, unauthenticated reads of a shop's published catalog (what the storefront shows).",
    "Categories": "The shop's category tree (staff).",
    "Products": "Products with their variants (staff): list with filters and cursor paging, create, bulk upsert.",
    "Variants": "A product's sellable variants: SKU, options, price, stock.",
    "Product images": "Upload (multipart), list, delete; thumbnails are made in the background.",
    "Carts and checkout": "A shopper's cart by its token: lines, prices, checkout, placing the order (idempotent).",
    "My orders": "The signed-in shopper's own orders.",
    "Orders": "The shop's orders (staff).",
    "Customers": "The shop's customers by email: orders, total spent, last order (staff).",
    "Payments": "Payment provider webhooks.",
    "Promotions": "Voucher codes and their discounts (staff).",
    "Analytics": "Event ingestion and reports.",
    "Members": "Who belongs to the shop, with which role; invitations.",
    "Audit log": "What changed in the shop, by whom.",
}
TAG_GROUPS: list[tuple[str, list[str]]] = [
    ("Start here", ["Authentication", "Account", "Privacy"]),
    ("Shops and people", ["Shops", "Members", "Invitations", "Audit log"]),
    ("Catalog", ["Products", "Variants", "Product images", "Categories", "Storefront catalog"]),
    ("Selling", ["Carts and checkout", "My orders", "Orders", "Customers", "Payments", "Promotions"]),
    ("Analytics", ["Analytics"]),
]
_COMPILED = [(re.compile(pattern), tag) for pattern, tag in TAG_RULES]


def tag_for_path(path: str) -> str | None:
    """The tag of an operation on ``path`` (``/api/v1/t/{tenant_slug}/orders/``), or None."""
    return next((tag for pattern, tag in _COMPILED if pattern.search(path)), None)


def assign_tags(result: dict, generator=None, request=None, public=None) -> dict:
    """drf-spectacular post-processing hook: tags by resource, their descriptions and groups."""
    used: set[str] = set()
    for path, operations in result.get("paths", {}).items():
        tag = tag_for_path(path)
        for method, operation in operations.items():
            if method in HTTP_METHODS and tag:
                operation["tags"] = [tag]
                used.add(tag)
            elif method in HTTP_METHODS:
                used.update(operation.get("tags", []))
    result["tags"] = [{"name": name, "description": TAG_DESCRIPTIONS.get(name, "")} for name in sorted(used)]
    groups = [{"name": name, "tags": [t for t in tags if t in used]} for name, tags in TAG_GROUPS]
    grouped = {t for group in groups for t in group["tags"]}
    leftovers = sorted(used - grouped)
    if leftovers:
        groups.append({"name": "Other", "tags": leftovers})
    result["x-tagGroups"] = [group for group in groups if group["tags"]]
    return result
