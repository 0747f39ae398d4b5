"""``get_public_tenant`` (every storefront page and public API request) reads the tenant from the
cache after the first lookup, and any save of the tenant forgets it at once: a suspension made in
the admin or a service applies to the very next public request. Real Redis."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.tenants.access import get_public_tenant
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit invalidation really runs


def test_the_second_lookup_makes_no_query():
    tenant = TenantFactory()
    get_public_tenant(slug=tenant.slug)
    with CaptureQueriesContext(connection) as queries:
        again = get_public_tenant(slug=tenant.slug)
    assert again.pk == tenant.pk and len(queries) == 0


def test_a_suspension_applies_to_the_next_public_request():
    tenant = TenantFactory()
    client = APIClient()
    url = f"/api/v1/t/{tenant.slug}/catalog/public/products/"
    assert client.get(url).status_code == 200  # the tenant is now cached
    tenant.suspended_at = timezone.now()
    tenant.save(update_fields=["suspended_at"])
    assert client.get(url).status_code == 503


def test_a_deleted_tenant_is_gone_at_once():
    tenant = TenantFactory()
    get_public_tenant(slug=tenant.slug)
    slug = tenant.slug
    tenant.delete()
    with pytest.raises(Http404):
        get_public_tenant(slug=slug)
