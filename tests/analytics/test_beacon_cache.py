"""``{% analytics_beacon tenant %}`` reads the ingest key from Redis: no queries on a warm cache, and a
rotated key (or changed settings) shows at once, also after a concurrent reader re-cached the old row."""

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.urls import reverse

from apps.analytics import services
from apps.tenants.models import Tenant

pytestmark = pytest.mark.django_db

BEACON = Template("{% load analytics_tags %}{% analytics_beacon tenant %}")


def render_beacon(tenant_id: int) -> str:
    """The tag as one storefront request renders it (a fresh Tenant instance, as each request loads)."""
    return BEACON.render(Context({"tenant": Tenant.objects.get(pk=tenant_id)}))


def test_beacon_runs_no_queries_on_a_warm_cache(tenant, django_assert_num_queries, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # tenant + cold: settings read (+ create and re-read on first use)
        cold = render_beacon(tenant.pk)
    key = services.get_or_create_settings(tenant=tenant).ingest_key
    assert f'data-key="{key}"' in cold
    assert f'data-endpoint="{reverse("analytics-api:events", kwargs={"tenant_slug": tenant.slug})}"' in cold

    fresh = Tenant.objects.get(pk=tenant.pk)
    with django_assert_num_queries(0):
        warm = BEACON.render(Context({"tenant": fresh}))
    assert warm == cold


def test_cache_key_carries_the_tenant(tenant):
    other = Tenant.objects.create(name="Other shop", slug="other-beacon-shop", currency="EUR", time_zone="UTC")
    mine, theirs = render_beacon(tenant.pk), render_beacon(other.pk)
    assert services.get_or_create_settings(tenant=tenant).ingest_key in mine
    assert services.get_or_create_settings(tenant=other).ingest_key in theirs
    assert mine != theirs


def test_rotated_key_is_shown_right_after_rotation(tenant, django_capture_on_commit_callbacks):
    old = services.get_or_create_settings(tenant=tenant).ingest_key
    assert old in render_beacon(tenant.pk)  # cache warm with the old key

    with django_capture_on_commit_callbacks(execute=True):
        new = services.rotate_ingest_key(tenant=Tenant.objects.get(pk=tenant.pk)).ingest_key

    shown = render_beacon(tenant.pk)
    assert new != old and f'data-key="{new}"' in shown and old not in shown


def test_old_key_cached_by_a_concurrent_reader_is_dropped_on_commit(tenant, django_capture_on_commit_callbacks):
    settings_row = services.get_or_create_settings(tenant=tenant)
    old_config = (settings_row.ingest_key, settings_row.honour_gpc)

    with django_capture_on_commit_callbacks(execute=True):
        new = services.rotate_ingest_key(tenant=tenant).ingest_key
        # Another storefront request, still seeing the committed (old) row, caches it meanwhile.
        cache.set(services._key_cache(tenant.pk), old_config, 300)

    shown = render_beacon(tenant.pk)
    assert f'data-key="{new}"' in shown and old_config[0] not in shown


def test_settings_change_is_seen_at_once(tenant, django_capture_on_commit_callbacks):
    assert services.ingest_config(tenant=Tenant.objects.get(pk=tenant.pk))[1] is True
    with django_capture_on_commit_callbacks(execute=True):
        services.update_settings(tenant=tenant, retention_months=6, honour_gpc=False)
    assert services.ingest_config(tenant=Tenant.objects.get(pk=tenant.pk))[1] is False
