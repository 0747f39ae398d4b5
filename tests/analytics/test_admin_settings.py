"""Analytics settings changed in the Django admin are seen by the storefront beacon at once
(the admin saves through ``services.update_settings``, which drops the cached settings)."""

import pytest

from apps.analytics import services
from apps.analytics.models import AnalyticsSettings
from apps.tenants.access import get_public_tenant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh_config(tenant):
    """``ingest_config`` as a new request sees it (a new Tenant instance: no per-request memo)."""
    return services.ingest_config(tenant=get_public_tenant(slug=tenant.slug))


def test_admin_change_drops_the_cached_ingest_config(client, tenant):
    settings_row = services.get_or_create_settings(tenant=tenant)
    key, honour_gpc = fresh_config(tenant)  # now cached in Redis
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/analytics/analyticssettings/{settings_row.pk}/change/",
        {"tenant": str(tenant.pk), "retention_months": "3", **({} if honour_gpc else {"honour_gpc": "on"})},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert AnalyticsSettings.objects.for_tenant(tenant).get().retention_months == 3
    assert fresh_config(tenant) == (key, not honour_gpc)
