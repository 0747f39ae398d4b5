"""URL pools for the closed-loop bench (JSON on stdout): at least 2,000 distinct URLs per page
kind, so a cold run walks URLs nobody has asked for yet. Run with Django set up:
``python bench/wrk_pools.py <tenant slug>``."""

import json
import random
import sys

import django

django.setup()

from apps.catalog.models import Category, Product  # noqa: E402
from apps.tenants.models import Tenant  # noqa: E402

SORTS = ["", "newest", "price", "-price", "name"]
MIN_POOL = 2400


def distinct(urls: list[str], rng: random.Random) -> list[str]:
    """The URLs without repeats, shuffled (the first ones are the warm pool)."""
    unique = list(dict.fromkeys(urls))
    rng.shuffle(unique)
    return unique


def main(slug: str) -> dict:
    tenant = Tenant.objects.get(slug=slug)
    rng = random.Random(11)
    products = list(
        Product.objects.for_tenant(tenant)
        .filter(status="published")
        .order_by("?")
        .values_list("slug", flat=True)[:5000]
    )
    categories = list(Category.objects.for_tenant(tenant).values_list("slug", flat=True))
    words = sorted({w.lower() for p in products for w in p.split("-") if w.isalpha() and len(w) > 3})
    published = Product.objects.for_tenant(tenant).filter(status="published").count()
    pages = max(1, -(-published // 24))
    base, api = f"/s/{slug}/", f"/api/v1/t/{slug}/catalog/public/products/"

    def sort(value: str) -> str:
        return f"&sort={value}" if value else ""

    home = [f"{base}?page={rng.randint(1, pages)}{sort(rng.choice(SORTS))}" for _ in range(MIN_POOL * 2)]
    category = [
        f"{base}c/{c}/?page={page}{sort(s)}{stock}"
        for c in categories
        for page in range(1, 9)
        for s in SORTS
        for stock in ("", "&in_stock=1")
    ]
    search = [
        f"{base}search?q={rng.choice(words)[: rng.randint(3, 9)]}{sort(rng.choice(SORTS))}&page={rng.randint(1, 3)}"
        for _ in range(MIN_POOL * 2)
    ]
    api_list = [
        f"{api}?category={c}&limit={limit}{sort(s).replace('sort', 'ordering')}{stock}{price}"
        for c in categories
        for s in SORTS
        for limit in (12, 24, 48)
        for stock in ("", "&in_stock=1")
        for price in ("", "&price_min=25")
    ]
    api_list += [f"{api}?q={rng.choice(words)[: rng.randint(3, 9)]}&limit=24" for _ in range(MIN_POOL * 2)]
    return {
        "floor": ["/bench/floor"],
        "home": distinct(home, rng),
        "category": distinct(category, rng),
        "search": distinct(search, rng),
        "product": distinct([f"{base}p/{p}/" for p in products], rng),
        "api_list": distinct(api_list, rng),
    }


if __name__ == "__main__":
    json.dump(main(sys.argv[1]), sys.stdout)
