"""The demo tenant: one verified user per role, idempotent, and the logins work."""

import pytest

from apps.accounts import selectors as account_selectors
from apps.tenants.demo import create_demo_tenant
from apps.tenants.models import Membership, Tenant

pytestmark = pytest.mark.django_db


def test_create_demo_tenant_is_idempotent_and_logins_work(client):
    tenant, rows = create_demo_tenant()
    again, rows_again = create_demo_tenant()
    assert tenant.pk == again.pk and rows == rows_again
    assert Tenant.objects.filter(slug="demo").count() == 1
    assert [role for role, _, _ in rows] == ["owner", "admin", "editor", "analyst", "viewer"]
    assert Membership.objects.filter(tenant=tenant).count() == 5
    for role, email, password in rows:
        user = account_selectors.get_user_by_email(email=email)
        assert account_selectors.is_email_verified(user=user)
        assert Membership.objects.get(tenant=tenant, user=user).role == role
        assert user.check_password(password)
    client.force_login(account_selectors.get_user_by_email(email=rows[-1][1]))
    assert client.get("/a/demo/").status_code == 200
