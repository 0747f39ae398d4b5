"""The shop the contract test fuzzes: a member in each role, a category tree, products with
variants, a pending invitation. Built through the services, so every row is one the API could
have written."""

from __future__ import annotations

from apps.tenants.roles import Role
from apps.tenants.services import invite_member
from tests.catalog.factories import make_category, make_product
from tests.factories import MembershipFactory, TenantFactory, UserFactory

SHOP_SLUG = "contract-shop"


def seed_shop(*, closer: bool = False) -> dict:
    """Create the shop; return its members by role name (and, with ``closer``, a second owner).

    Without a second owner the owner is the last one, so it cannot demote or remove itself (409)
    and keeps its permissions for the whole run."""
    shop = TenantFactory(slug=SHOP_SLUG, name="Contract Shop")
    members = {}
    for role in Role.values:
        user = UserFactory(email=f"{role}@contract.example.com")
        MembershipFactory(tenant=shop, user=user, role=role)
        members[role] = user
    if closer:  # an owner for the self-ending operations
        members["closer"] = UserFactory(email="closer@contract.example.com")
        MembershipFactory(tenant=shop, user=members["closer"], role=Role.OWNER)
    shoes = make_category(shop, "Shoes")
    running = make_category(shop, "Running", parent=shoes)
    make_category(shop, "Kitchen")
    make_product(shop, "Trail Running Shoe", category=running, attributes={"color": "red"})
    make_product(shop, "Road Shoe", category=shoes, status="draft", price="79.00")
    make_product(shop, "Kettle", variants=[{"sku": "KET-1", "price": "25.00", "stock": 3, "options": {"size": "1l"}}])
    invite_member(tenant=shop, by=members["owner"], email="invitee@contract.example.com", role="editor")
    return members
