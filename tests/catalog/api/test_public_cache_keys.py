"""The public API's cache keys are built from the parsed, known parameters only: unknown query
parameters cannot grow the cache, and they do not leak into the cached page's links."""

import pytest
from django_redis import get_redis_connection

from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


def cached_list_keys() -> list[bytes]:
    return [key for key in get_redis_connection("default").keys("*") if b":api-list-json:" in key]


def test_unknown_parameters_share_one_cache_entry(client, tenant):
    for i in range(3):
        make_product(tenant, f"Key Lamp {i}", slug=f"key-lamp-{i}")
    url = f"/api/v1/t/{tenant.slug}/catalog/public/products/"
    first = client.get(url, {"limit": 2}).json()
    for i in range(20):
        response = client.get(url, {"limit": 2, f"junk{i}": "x" * 50, "utm_source": str(i)})
        assert response.status_code == 200
        assert response.json() == first  # the same entry, links without the junk
    assert len(cached_list_keys()) == 1
    assert "junk" not in (first["next"] or "") and "limit=2" in first["next"]
    client.get(url, {"limit": 2, "q": "lamp"})  # a known parameter is another entry
    assert len(cached_list_keys()) == 2


def test_invalid_known_parameters_are_400_and_not_cached(client, tenant):
    url = f"/api/v1/t/{tenant.slug}/catalog/public/products/"
    response = client.get(url, {"price_min": "cheap"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"
    assert client.get(url, {"limit": "500"}).status_code == 400
    assert cached_list_keys() == []
