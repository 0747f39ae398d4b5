"""The analytics admin pages open for platform staff."""

import pytest

from apps.analytics import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["analyticssettings", "reportexport", "consent", "privacyrequest"])
def test_admin_changelists(client, tenant, model):
    services.get_or_create_settings(tenant=tenant)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(f"/admin/analytics/{model}/").status_code == 200
