"""Write the URL pools the load generator picks from (JSON on stdout). Run with Django set up."""

import json
import random
import sys

import django

django.setup()

from apps.catalog.models import Category, Product  # noqa: E402
from apps.tenants.models import Tenant  # noqa: E402

slug = sys.argv[1]
tenant = Tenant.objects.get(slug=slug)
rng = random.Random(7)
products = list(
    Product.objects.for_tenant(tenant).filter(status="published").order_by("?").values_list("slug", flat=True)[:5000]
)
categories = list(Category.objects.for_tenant(tenant).values_list("slug", flat=True))
words = sorted({w.lower() for p in products[:2000] for w in p.split("-") if w.isalpha() and len(w) > 3})
typos = [w[:-2] + w[-1] for w in words if len(w) > 5][:50]
base = f"/s/{slug}/"
api = f"/api/v1/t/{slug}/catalog/public/products/"
pools = {
    "category": [f"{base}c/{c}/?page={rng.randint(1, 8)}" for c in categories for _ in range(20)],
    "search": [f"{base}search?q={rng.choice(words)[: rng.randint(3, 8)]}" for _ in range(600)]
    + [f"{base}search?q={t}" for t in typos],
    "product": [f"{base}p/{p}/" for p in products],
    "api_list": [f"{api}?category={rng.choice(categories)}&limit=24" for _ in range(300)]
    + [f"{api}?q={rng.choice(words)[:5]}&limit=24" for _ in range(300)],
    "api_retrieve": [f"{api}{p}/" for p in products],
    "floor": ["/bench/floor"],
}
for name in pools:
    rng.shuffle(pools[name])
json.dump(pools, sys.stdout)
