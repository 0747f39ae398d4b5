"""The demo tenant: "Demo Shop" with one verified user per role. Called by ``apps.demo.loader``."""

from __future__ import annotations

from django.db import transaction

from apps.accounts import selectors as account_selectors
from apps.accounts import services as account_services
from apps.tenants.models import Membership, Tenant
from apps.tenants.roles import Role

DEMO_PASSWORD = "bazaar-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.bazaar.local"


@transaction.atomic
def create_demo_tenant(*, slug: str = "demo") -> tuple[Tenant, list[tuple[str, str, str]]]:
    """Create or refresh the demo tenant and its users; return ``(tenant, [(role, email, password)])``.

    Idempotent: running it again keeps the same tenant and users, resets their roles and their
    password to the printed one.
    """
    tenant, _ = Tenant.objects.get_or_create(
        slug=slug, defaults={"name": "Demo Shop", "currency": "EUR", "time_zone": "Europe/Paris"}
    )
    logins = []
    for role in Role.values:
        email = f"{role}@{DEMO_EMAIL_DOMAIN}"
        user = account_selectors.get_user_by_email(email=email)
        if user is None:
            user = account_services.create_user(
                email=email, password=DEMO_PASSWORD, name=f"Demo {role.title()}", email_verified=True
            )
        else:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(tenant=tenant, user=user, defaults={"role": role})
        logins.append((role, email, DEMO_PASSWORD))
    return tenant, logins
