"""Reads of a tenant's category tree: the cached tree as plain dicts, lookups in it (a slug, the
descendants, the breadcrumbs) and one category. ``apps.catalog.selectors`` re-exports them."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.catalog import cache as catalog_cache
from apps.catalog.models import Category


def list_categories(*, tenant) -> QuerySet:
    """The tenant's categories in tree order (by path)."""
    return Category.objects.for_tenant(tenant).order_by("path")


def get_category_tree(*, tenant) -> list[dict]:
    """The tenant's categories as cached dicts (id, name, slug, path, depth, parent_id), tree order."""

    def produce():
        return list(list_categories(tenant=tenant).values("id", "name", "slug", "path", "depth", "parent_id"))

    return catalog_cache.cached(tenant.pk, "categories", None, catalog_cache.TTL_STRUCTURE, produce)


def find_category(tree: list[dict], slug: str) -> dict | None:
    """The category dict with ``slug`` in a tree from :func:`get_category_tree`."""
    return next((node for node in tree if node["slug"] == slug), None)


def descendant_ids(tree: list[dict], category: dict) -> list[int]:
    """Ids of ``category`` and everything below it (materialised path prefix)."""
    return [node["id"] for node in tree if node["path"].startswith(category["path"])]


def breadcrumbs(tree: list[dict], category: dict) -> list[dict]:
    """The ancestors of ``category`` and itself, root first."""
    ids = [int(step) for step in category["path"].split(".") if step]
    by_id = {node["id"]: node for node in tree}
    return [by_id[i] for i in ids if i in by_id]


def get_category(*, tenant, category_id: int) -> Category:
    """One of the tenant's categories; ``Category.DoesNotExist`` otherwise."""
    return Category.objects.for_tenant(tenant).get(pk=category_id)
