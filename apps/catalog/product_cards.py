"""Product cards and image data for lists (storefront, public API, console): plain dicts that can
be cached. ``apps.catalog.selectors`` re-exports them."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse

from apps.catalog import price_hooks
from apps.catalog.models import Product, ProductImage, Variant


def image_url(tenant, name: str) -> str:
    """The storefront URL of a stored image file of the tenant."""
    return reverse("storefront:media", kwargs={"tenant_slug": tenant.slug, "path": name})


def image_data(tenant, image: ProductImage) -> dict:
    """``src``, ``srcset``, width, height and alt of an image (thumbnails when made)."""
    thumbs = sorted(((int(w), name) for w, name in (image.thumbnails or {}).items()), key=lambda t: t[0])
    srcset = ", ".join(f"{image_url(tenant, name)} {width}w" for width, name in thumbs)
    src = image_url(tenant, thumbs[min(1, len(thumbs) - 1)][1]) if thumbs else image_url(tenant, image.image.name)
    return {
        "id": image.pk,
        "src": src,
        "original": image_url(tenant, image.image.name),
        "srcset": srcset,
        "width": image.width,
        "height": image.height,
        "alt": image.alt,
    }


def _first_images(tenant, product_ids: list[int]) -> dict[int, dict]:
    images: dict[int, dict] = {}
    if not product_ids:
        return images
    rows = (
        ProductImage.objects.for_tenant(tenant)
        .filter(product_id__in=product_ids)
        .order_by("product_id", "position", "id")
        .only("id", "product_id", "image", "alt", "width", "height", "thumbnails")
    )
    for image in rows:
        images.setdefault(image.product_id, image_data(tenant, image))
    return images


def _single_variant_ids(tenant, product_ids: list[int]) -> dict[int, int]:
    """Product id -> its only variant's id, for products that have exactly one (add to cart from a list)."""
    if not product_ids:
        return {}
    rows = (
        Variant.objects.for_tenant(tenant)
        .filter(product_id__in=product_ids)
        .values("product_id")
        .annotate(n=Count("id"), first=Min("id"))
        .filter(n=1)
        .order_by()
    )
    return {row["product_id"]: row["first"] for row in rows}


def product_cards(tenant, products: list[Product], *, with_sales: bool = True) -> list[dict]:
    """List cards for products loaded with :data:`LIST_FIELDS`; one query for the images, one for
    the single-variant ids (``single_variant_id``: the storefront's "Add to cart" on a card).
    ``with_sales``: prices as shoppers see them (``price_hooks``); the console passes False."""
    images = _first_images(tenant, [p.pk for p in products])
    single = _single_variant_ids(tenant, [p.pk for p in products])
    cards = [
        {
            "id": p.pk,
            "public_id": str(p.public_id),
            "name": p.name,
            "slug": p.slug,
            "status": p.status,
            "price_min": str(p.price_min) if p.price_min is not None else None,
            "price_max": str(p.price_max) if p.price_max is not None else None,
            "currency": tenant.currency,
            "in_stock": p.stock_total > 0,
            "stock_total": p.stock_total,
            "category_id": p.category_id,
            "image": images.get(p.pk),
            "single_variant_id": single.get(p.pk),
        }
        for p in products
    ]
    if with_sales:
        price_hooks.apply_sales_to_cards(tenant, cards)  # sale prices (promotions), old ones struck
    return cards
