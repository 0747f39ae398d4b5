"""Cache-aside for catalog reads, keyed per tenant with a version that every catalog write bumps.

A key looks like ``catalog:<tenant_id>:v<version>:<name>:<hash of params>``. Bumping the
tenant's version (:func:`bump_catalog_version`, called by every service after commit) makes all
of that tenant's entries unreachable at once; they expire by TTL. TTLs by volatility:

- ``TTL_LISTING`` (5 min): category pages, search results, facets, public API lists;
- ``TTL_PRODUCT`` (10 min): a product page / public API product;
- ``TTL_STRUCTURE`` (1 h): the category tree, sitemap.

The TTL only bounds memory and staleness for changes made outside the services (raw SQL, the
admin); normal writes are visible on the next request because the version changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

TTL_LISTING = 300
TTL_PRODUCT = 600
TTL_STRUCTURE = 3600
VERSION_TTL = None  # versions never expire (a lost version only means a cold cache)


def _version_key(tenant_id: int) -> str:
    return f"catalog:{tenant_id}:version"


def catalog_version(tenant_id: int) -> int:
    """The tenant's current catalog cache version (starts at 1)."""
    version = cache.get(_version_key(tenant_id))
    if version is None:
        cache.add(_version_key(tenant_id), 1, timeout=VERSION_TTL)
        version = cache.get(_version_key(tenant_id)) or 1
    return int(version)


def bump_catalog_version(tenant_id: int) -> None:
    """Invalidate every cached catalog read of the tenant (call after a write commits)."""
    try:
        cache.incr(_version_key(tenant_id))
    except ValueError:
        cache.set(_version_key(tenant_id), 2, timeout=VERSION_TTL)


def page_dependencies(tenant_id: int) -> dict[str, int]:
    """``{version key: version}``: what a cached storefront page of the tenant depends on, so a
    catalog write (a version bump) makes every such page stale at once."""
    return {_version_key(tenant_id): catalog_version(tenant_id)}


def cache_key(tenant_id: int, name: str, params: Any = None) -> str:
    """The versioned key of ``name`` with ``params`` for the tenant."""
    digest = hashlib.sha1(json.dumps(params, sort_keys=True, default=str).encode(), usedforsecurity=False)
    return f"catalog:{tenant_id}:v{catalog_version(tenant_id)}:{name}:{digest.hexdigest()[:20]}"


def cached(tenant_id: int, name: str, params: Any, ttl: int, produce: Callable[[], Any]) -> Any:
    """Cache-aside: the cached value of (name, params) for the tenant, else ``produce()`` stored."""
    key = cache_key(tenant_id, name, params)
    value = cache.get(key)
    if value is None:
        value = produce()
        cache.set(key, value, timeout=ttl)
    return value
