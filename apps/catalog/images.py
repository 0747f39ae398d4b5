"""Product images: upload checks (type, size, pixel count, decompression bombs) and WebP
thumbnails in several widths (made by ``apps.catalog.tasks.make_thumbnails_task``)."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from apps.catalog import services  # a module import: services imports this module too
from apps.catalog.cache import bump_catalog_version
from apps.catalog.changes import catalog_changed
from apps.catalog.models import Product, ProductImage
from apps.core import images as core_images
from apps.core.errors import Invalid, NotFound
from apps.core.outbox import enqueue_task

ALLOWED_FORMATS = core_images.ALLOWED_FORMATS
THUMBNAIL_WIDTHS = (160, 320, 640, 1024)


def max_image_bytes() -> int:
    return settings.CATALOG_MAX_IMAGE_BYTES


def max_image_pixels() -> int:
    return settings.CATALOG_MAX_IMAGE_PIXELS


def check_image_upload(upload) -> tuple[str, int, int]:
    """Check an uploaded file is an image we accept: at most ``CATALOG_MAX_IMAGE_BYTES`` (413
    above), a JPEG/PNG/WebP/GIF, at most ``CATALOG_MAX_IMAGE_PIXELS`` pixels (decompression bombs
    are refused before decoding; ``apps.core.images``). Returns (extension, width, height)."""
    return core_images.check_image_upload(upload, max_bytes=max_image_bytes(), max_pixels=max_image_pixels())


def add_product_image(
    *, tenant, product: Product, upload, alt: str = "", position: int | None = None, source_url: str = ""
) -> ProductImage:
    """Check and store an image of ``product``; thumbnails are made after commit by a task.
    ``source_url``: where a CSV import fetched it from."""

    if product.tenant_id != tenant.pk:
        raise NotFound()
    alt = (alt or "").strip()
    if len(alt) > 200:
        raise Invalid({"alt": ["Too long."]}, message="Alt text: at most 200 characters.")
    ext, width, height = check_image_upload(upload)
    with transaction.atomic():
        if position is None:
            position = product.images.count()
        image = ProductImage(
            tenant=tenant, product=product, alt=alt or product.name[:200], position=position, source_url=source_url
        )
        image.image.save(f"upload.{ext}", upload, save=False)
        image.width, image.height = width, height
        image.save()
        image_id = image.pk
        enqueue_task("catalog.make_thumbnails", tenant_id=tenant.pk, image_id=image_id)
        catalog_changed(tenant_id=tenant.pk, reindex=False)
    return image


def make_thumbnails(*, tenant_id: int, image_id: int) -> dict:
    """Write WebP thumbnails of an image in the widths of ``THUMBNAIL_WIDTHS`` that are not larger
    than the original (the original width if it is smaller than all). Idempotent."""
    image = ProductImage.objects.for_tenant(tenant_id).filter(pk=image_id).first()
    if image is None:
        return {}
    base = image.image.name.rsplit(".", 1)[0]
    thumbnails = {}
    with default_storage.open(image.image.name, "rb") as fh, Image.open(fh) as original:
        original.load()
        source = original.convert("RGBA" if original.mode in ("RGBA", "LA", "P") else "RGB")
        widths = [w for w in THUMBNAIL_WIDTHS if w < source.width] or [source.width]
        for width in widths:
            height = max(1, round(source.height * width / source.width))
            buffer = io.BytesIO()
            source.resize((width, height), Image.Resampling.LANCZOS).save(buffer, "WEBP", quality=80, method=4)
            name = f"{base}-{width}.webp"
            if default_storage.exists(name):
                default_storage.delete(name)
            thumbnails[str(width)] = default_storage.save(name, ContentFile(buffer.getvalue()))
    ProductImage.objects.for_tenant(tenant_id).filter(pk=image_id).update(thumbnails=thumbnails)

    bump_catalog_version(tenant_id)
    return thumbnails


def delete_product_image(*, tenant, image: ProductImage) -> None:
    """Remove an image and its files."""

    if image.tenant_id != tenant.pk:
        raise NotFound()
    names = [image.image.name, *image.thumbnails.values()]
    with transaction.atomic():
        image.delete()
        catalog_changed(tenant_id=tenant.pk, reindex=False)
    transaction.on_commit(lambda: delete_image_files(names))


def delete_image_files(names: list[str]) -> None:
    """Delete stored files, ignoring those already gone."""
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def set_image_order(*, tenant, product: Product, image_ids: list[int]) -> list[int]:
    """Give ``product``'s images the order of ``image_ids`` (positions 0, 1, ...). The ids must be
    exactly the product's images, else ``Invalid`` (400) and nothing changes."""

    if product.tenant_id != tenant.pk:
        raise NotFound()
    with transaction.atomic():
        images = list(ProductImage.objects.for_tenant(tenant).filter(product=product).select_for_update())
        if sorted(image_ids) != sorted(image.pk for image in images) or len(set(image_ids)) != len(image_ids):
            raise Invalid({"order": ["Send every image of this product exactly once."]})
        by_id = {image.pk: image for image in images}
        for position, image_id in enumerate(image_ids):
            by_id[image_id].position = position
        ProductImage.objects.for_tenant(tenant).bulk_update(images, ["position"])
        catalog_changed(tenant_id=tenant.pk, reindex=False)
    return image_ids


def move_product_image(*, tenant, image: ProductImage, offset: int) -> list[int]:
    """Move ``image`` ``offset`` places (-1 earlier, +1 later) among its product's images; at an
    end it stays. Returns the new order of ids."""
    ids = list(ProductImage.objects.for_tenant(tenant).filter(product_id=image.product_id).values_list("pk", flat=True))
    index = ids.index(image.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    return set_image_order(tenant=tenant, product=image.product, image_ids=ids)


def update_image_alt(*, tenant, image: ProductImage, alt: str) -> ProductImage:
    """Change an image's alt text (at most 200 characters; blank becomes the product's name)."""

    if image.tenant_id != tenant.pk:
        raise NotFound()
    alt = (alt or "").strip()
    if len(alt) > 200:
        raise Invalid({"alt": ["Too long."]}, message="Alt text: at most 200 characters.")
    with transaction.atomic():
        image.alt = alt or image.product.name[:200]
        image.save(update_fields=["alt"])
        catalog_changed(tenant_id=tenant.pk, reindex=False)
    return image


def create_product_with_image(*, tenant, data: dict, variants: list[dict], upload=None, alt: str = "") -> Product:
    """``services.create_product`` and, when ``upload`` is given, its first image, in one
    transaction: an image that fails the checks creates no product (``ApplicationError``)."""

    if upload is not None:
        check_image_upload(upload)
    with transaction.atomic():
        product = services.create_product(tenant=tenant, data=data, variants=variants)
        if upload is not None:
            add_product_image(tenant=tenant, product=product, upload=upload, alt=alt, position=0)
    return product
