"""Roles and the permissions they grant: the one table every check asks.

The DRF permission class (``apps.tenants.api.permissions``) and the page decorator/mixin
(``apps.tenants.access``) both call :func:`role_has_permission`.
"""

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    ANALYST = "analyst", "Analyst"
    VIEWER = "viewer", "Viewer"


# What each role is for, in the words shown wherever a role is chosen (invite form, members page).
ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.OWNER: "Everything, including deleting the shop and making other owners.",
    Role.ADMIN: "Runs the shop: settings, members, catalog, orders and analytics; cannot delete the shop.",
    Role.EDITOR: "Edits the catalog (products, categories, imports and exports) and the promotions, and ships orders.",
    Role.ANALYST: "Reads the dashboards and exports analytics reports; changes nothing.",
    Role.VIEWER: "Sees the console and the catalog; changes nothing.",
}

# Every permission a tenant role can hold. Apps add theirs here, in this one table.
PERMISSIONS: dict[str, str] = {
    "tenant.view": "See the tenant and its console",
    "tenant.edit": "Change the tenant's name, currency and time zone",
    "tenant.delete": "Delete or erase the tenant",
    "members.view": "See who is a member",
    "members.manage": "Invite members, change roles, remove members",
    "catalog.view": "See the catalog in the console, including drafts",
    "catalog.edit": "Create, edit, import and export products and categories",
    "analytics.view": "See dashboards and reports",
    "analytics.export": "Export analytics reports",
    "analytics.manage": "Rotate the ingest key and change retention",
    "orders.view": "See orders, their payments and events, and the selling settings",
    "orders.manage": "Change orders (mark paid, cancel, record returns) and the selling settings",
    "orders.fulfil": "Ship orders with tracking, print packing slips and write order notes",
    "orders.refund": "Refund orders' payments (whole, lines, shipping)",
    "promotions.view": "See vouchers and sales",
    "promotions.manage": "Create, edit and delete vouchers and sales",
}

_VIEWER = {"tenant.view", "members.view", "catalog.view", "orders.view", "promotions.view"}
_ANALYST = _VIEWER | {"analytics.view", "analytics.export"}
_EDITOR = _VIEWER | {"catalog.edit", "orders.fulfil", "promotions.manage"}
_ADMIN = _ANALYST | _EDITOR | {"members.manage", "tenant.edit", "analytics.manage", "orders.manage", "orders.refund"}
_OWNER = _ADMIN | {"tenant.delete"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(_OWNER),
    Role.ADMIN: frozenset(_ADMIN),
    Role.EDITOR: frozenset(_EDITOR),
    Role.ANALYST: frozenset(_ANALYST),
    Role.VIEWER: frozenset(_VIEWER),
}


def role_has_permission(role: str | None, permission: str) -> bool:
    """Whether ``role`` grants ``permission``. Unknown roles and permissions grant nothing."""
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}: add it to apps.tenants.roles.PERMISSIONS")
    return permission in ROLE_PERMISSIONS.get(role or "", frozenset())
