"""Facet counts of browse pages (the home page, a category, in stock, a price range) kept in
PostgreSQL: computed once per catalog state, not once per Redis flush. Search pages and attribute
filters are not stored (their filter sets are unbounded); they are counted per request and cached
in Redis only.

Freshness: ``services.catalog_changed`` deletes the tenant's snapshots when a write commits;
a snapshot older than ``MAX_AGE`` is recomputed anyway (writes made outside the services)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from apps.catalog.filters import ProductFilters
from apps.catalog.models import FacetSnapshot

MAX_AGE = timedelta(hours=1)


def is_snapshotted(filters: ProductFilters) -> bool:
    """Whether the facets of ``filters`` are kept as a snapshot (browse filter sets only)."""
    return not filters.q and not filters.attributes


def snapshot_key(params: dict) -> str:
    """The stored key of a filter set's facet parameters."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()[:64]


def get_snapshot_facets(*, tenant, params: dict, compute: Callable[[], dict]) -> dict:
    """The stored facets of ``params`` for the tenant, else ``compute()`` stored (one indexed
    read when present, one upsert when not)."""
    key = snapshot_key(params)
    row = FacetSnapshot.objects.for_tenant(tenant).filter(key=key).values_list("data", "computed_at").first()
    if row is not None and row[1] > timezone.now() - MAX_AGE:
        return row[0]
    data = compute()
    FacetSnapshot.objects.for_tenant(tenant).bulk_create(  # one upsert: a concurrent first computation is fine
        [FacetSnapshot(tenant=tenant, key=key, data=data, computed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["tenant", "key"],
        update_fields=["data", "computed_at"],
    )
    return data


def drop_snapshots(*, tenant_id: int) -> int:
    """Delete every facet snapshot of the tenant (after a catalog write commits)."""
    deleted, _ = FacetSnapshot.objects.all_tenants().filter(tenant_id=tenant_id).delete()
    return deleted
