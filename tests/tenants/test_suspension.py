"""Issue 13, item 14: platform staff suspend a shop from the Django admin. Its storefront and API
answer 503 ``tenant_suspended`` (pages and the error shape), cached pages included; its staff
read the console with the reason and can change nothing; reinstating opens it all again."""

import pytest

from apps.core.errors import ApplicationError
from apps.tenants import services
from apps.tenants.models import AuditEntry, Tenant
from tests.catalog.factories import make_product
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REASON = "Unpaid invoices since March"


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, is_superuser=True, email="staff@bazaar.local")


def test_only_staff_suspend_and_a_reason_is_required(tenant, owner, staff):
    with pytest.raises(ApplicationError) as info:
        services.suspend_tenant(tenant=tenant, actor=owner, reason=REASON)
    assert info.value.status == 403
    with pytest.raises(ApplicationError) as info:
        services.suspend_tenant(tenant=tenant, actor=staff, reason="   ")
    assert "reason" in info.value.details
    tenant.refresh_from_db()
    assert tenant.suspended_at is None


@pytest.mark.parametrize("page", ["", "p/lamp/", "search?q=lamp"], ids=["home", "product", "search"])
def test_suspended_storefront_pages_answer_503_cached_or_not(client, tenant, staff, page):
    make_product(tenant, "Lamp", slug="lamp")
    assert client.get(f"/s/{tenant.slug}/").status_code == 200  # warm the page cache
    assert client.get(f"/s/{tenant.slug}/p/lamp/").status_code == 200
    services.suspend_tenant(tenant=tenant, actor=staff, reason=REASON)
    path = f"/s/{tenant.slug}/{page}"
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 503, path
    assert "is unavailable" in body and REASON not in body  # shoppers are not told the reason


def test_storefront_and_api_answer_503_and_console_shows_why(client, tenant, owner, staff):
    make_product(tenant, "Lamp", slug="lamp")
    storefront = f"/s/{tenant.slug}/"
    assert client.get(storefront).status_code == 200  # warm the page cache
    assert client.get(f"/s/{tenant.slug}/p/lamp/").status_code == 200
    services.suspend_tenant(tenant=tenant, actor=staff, reason=REASON)
    response = client.get(f"/api/v1/t/{tenant.slug}/catalog/public/products/")
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "tenant_suspended" and error["request_id"]

    client.force_login(owner)
    response = client.get(f"/api/v1/t/{tenant.slug}/catalog/products/")
    assert response.status_code == 503 and response.json()["error"]["code"] == "tenant_suspended"
    response = client.get(f"/a/{tenant.slug}/catalog/")
    assert response.status_code == 200
    assert "This shop is suspended" in response.content.decode() and REASON in response.content.decode()
    response = client.post(f"/a/{tenant.slug}/catalog/products/new", {"name": "X", "sku": "X", "price": "1"})
    assert response.status_code == 503 and REASON in response.content.decode()
    assert Tenant.objects.get(pk=tenant.pk).suspended_at is not None
    assert AuditEntry.objects.filter(tenant=tenant, action="staff.tenant_suspend").exists()

    services.reinstate_tenant(tenant=tenant, actor=staff)
    assert client.get(f"/api/v1/t/{tenant.slug}/catalog/products/").status_code == 200
    client.logout()
    assert client.get(storefront).status_code == 200
    assert client.get(f"/api/v1/t/{tenant.slug}/catalog/public/products/").status_code == 200


def test_admin_action_asks_the_reason_then_suspends(client, tenant, staff):
    client.force_login(staff)
    url = "/admin/tenants/tenant/"
    page = client.post(url, {"action": "suspend_tenants", "_selected_action": [tenant.pk]})
    assert page.status_code == 200 and "Suspend shops" in page.content.decode()
    tenant.refresh_from_db()
    assert tenant.suspended_at is None  # nothing before the reason is given
    response = client.post(
        url, {"action": "suspend_tenants", "_selected_action": [tenant.pk], "apply": "Suspend", "reason": REASON}
    )
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.suspended_at is not None and tenant.suspension_reason == REASON
    listing = client.get(url + "?suspended=yes").content.decode()
    assert tenant.slug in listing and "suspended" in listing and "Bazaar administration" in listing
    client.post(url, {"action": "reinstate_tenants", "_selected_action": [tenant.pk]})
    tenant.refresh_from_db()
    assert tenant.suspended_at is None and tenant.suspension_reason == ""
    assert "<title>Platform | Bazaar admin</title>" in client.get("/admin/").content.decode()
