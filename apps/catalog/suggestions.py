"""Search-as-you-type (issue 13): up to ``MAX_SUGGESTIONS`` products and categories for what a
shopper has typed so far, through the same search as the results page (prefix full-text, then
the vocabulary's one-edit corrections, then trigram similarity on PostgreSQL; ``search.py``).
Cached per catalog version and normalised query, so a burst of shoppers typing the same letters
costs one query set. The storefront's ``/s/<slug>/suggest?q=`` renders them as a listbox."""

from __future__ import annotations

from django.db.models import Q

from apps.catalog import cache as catalog_cache
from apps.catalog import search
from apps.catalog.models import Category, Product, ProductStatus
from apps.catalog.selectors import get_search_vocabulary

MAX_SUGGESTIONS = 8
MAX_CATEGORIES = 3
MIN_LENGTH = 2


def normalise_query(q: str) -> str:
    """The words of ``q`` lower-cased and single-spaced (at most ``search.MAX_TERMS``)."""
    return " ".join(search.search_terms(q))


def suggest(*, tenant, q: str) -> dict:
    """``{"q", "categories": [{"name", "slug"}], "products": [{"name", "slug"}]}``: categories
    whose name has a word starting with a typed word (at most 3), then the best products, together
    at most 8. Fewer than 2 letters: nothing."""
    query = normalise_query(q)
    if len(query) < MIN_LENGTH:
        return {"q": query, "categories": [], "products": []}

    def produce():
        terms = query.split()
        condition = Q()
        for term in terms:
            condition &= Q(name__istartswith=term) | Q(name__icontains=f" {term}")
        categories = list(
            Category.objects.for_tenant(tenant)
            .filter(condition)
            .order_by("depth", "name")
            .values("name", "slug")[:MAX_CATEGORIES]
        )
        published = Product.objects.for_tenant(tenant).filter(status=ProductStatus.PUBLISHED)
        matches = search.apply_search(published, query, lambda: get_search_vocabulary(tenant=tenant))
        products = list(
            matches.order_by("-rank", "name", "id").values("name", "slug")[: MAX_SUGGESTIONS - len(categories)]
        )
        return {"q": query, "categories": categories, "products": products}

    return catalog_cache.cached(tenant.pk, "suggest", query, catalog_cache.TTL_LISTING, produce)
