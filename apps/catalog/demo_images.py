"""Pictures for the demo catalog, drawn locally with Pillow (no network): a product-like
silhouette for the product's kind (a shirt, a shoe, a mug, a lamp, a book, a box) in the colour
of its ``color`` attribute on a soft background, with its name underneath. They go through
:func:`apps.catalog.images.add_product_image` like any upload, so the demo shows thumbnails,
``srcset`` and lazy loading working."""

from __future__ import annotations

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from apps.catalog.images import add_product_image
from apps.catalog.models import Product, ProductImage

SIZE = 640
COLOURS = {
    "black": (40, 40, 46),
    "white": (236, 236, 232),
    "navy": (31, 45, 92),
    "red": (196, 48, 43),
    "green": (46, 125, 80),
    "grey": (128, 132, 140),
    "blue": (47, 107, 196),
    "beige": (214, 196, 160),
    "yellow": (232, 190, 48),
    "olive": (112, 120, 56),
}
KINDS = {
    "shirt": ("shirt", "t-shirt", "hoodie", "sweater", "polo", "parka", "jacket", "chinos"),
    "shoe": ("shoe", "sneaker", "boot", "sandal", "runner", "loafer"),
    "mug": ("mug", "teapot", "pan", "bottle", "cup"),
    "lamp": ("lamp", "light"),
    "book": ("novel", "cookbook", "guide", "stories", "game", "puzzle"),
}


def product_kind(name: str) -> str:
    """Which silhouette fits a product name ("box" when none does)."""
    lowered = name.lower()
    for kind, words in KINDS.items():
        if any(word in lowered for word in words):
            return kind
    return "box"


def _shade(rgb: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(c * factor))) for c in rgb)


def _draw_shape(draw: ImageDraw.ImageDraw, kind: str, fill, outline) -> None:
    s = SIZE / 640
    p = lambda pts: [(x * s, y * s) for x, y in pts]  # noqa: E731
    if kind == "shirt":
        draw.polygon(
            p([(200, 110), (260, 90), (320, 120), (380, 90), (440, 110), (540, 190), (490, 260), (440, 225),
               (440, 470), (200, 470), (200, 225), (150, 260), (100, 190)]),
            fill=fill, outline=outline, width=4,
        )  # fmt: skip
    elif kind == "shoe":
        draw.polygon(
            p([(110, 330), (140, 220), (230, 230), (300, 290), (430, 320), (530, 350), (540, 410), (110, 410)]),
            fill=fill, outline=outline, width=4,
        )  # fmt: skip
        draw.rectangle(p([(110, 400), (540, 430)]), fill=outline)
    elif kind == "mug":
        draw.ellipse(p([(390, 200), (510, 360)]), outline=fill, width=int(28 * s))
        draw.rounded_rectangle(p([(160, 150), (420, 450)]), radius=int(30 * s), fill=fill, outline=outline, width=4)
    elif kind == "lamp":
        draw.polygon(p([(220, 120), (420, 120), (480, 280), (160, 280)]), fill=fill, outline=outline, width=4)
        draw.rectangle(p([(308, 280), (332, 430)]), fill=outline)
        draw.rounded_rectangle(p([(220, 430), (420, 460)]), radius=int(12 * s), fill=outline)
    elif kind == "book":
        draw.rounded_rectangle(p([(190, 110), (450, 460)]), radius=int(10 * s), fill=fill, outline=outline, width=4)
        draw.rectangle(p([(190, 110), (225, 460)]), fill=outline)
    else:
        draw.polygon(p([(320, 110), (500, 190), (320, 270), (140, 190)]), fill=_shade(fill, 1.15), outline=outline)
        draw.polygon(p([(140, 190), (320, 270), (320, 460), (140, 380)]), fill=fill, outline=outline)
        draw.polygon(p([(320, 270), (500, 190), (500, 380), (320, 460)]), fill=_shade(fill, 0.8), outline=outline)


def draw_product_image(*, name: str, colour: str) -> bytes:
    """A PNG picture of a product called ``name`` in ``colour`` (a ``COLOURS`` name; others get a
    colour derived from the name)."""
    rgb = COLOURS.get((colour or "").lower())
    if rgb is None:
        digest = hashlib.sha256(name.encode()).digest()
        rgb = (60 + digest[0] % 160, 60 + digest[1] % 160, 60 + digest[2] % 160)
    background = tuple(round(245 - (245 - c) * 0.12) for c in rgb)
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    _draw_shape(draw, product_kind(name), rgb, _shade(rgb, 0.6))
    font = ImageFont.load_default(size=34)
    text = name if len(name) <= 30 else name[:29] + "…"
    width = draw.textlength(text, font=font)
    draw.text(((SIZE - width) / 2, SIZE - 120), text, fill=(29, 36, 51), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def add_demo_images(*, tenant, limit: int | None = None) -> int:
    """Give each of the tenant's products without an image a drawn one (idempotent: a product
    that has an image is left alone). Returns how many images were added."""

    with_images = ProductImage.objects.for_tenant(tenant).values("product_id")
    products = Product.objects.for_tenant(tenant).exclude(pk__in=with_images).order_by("id")
    added = 0
    for product in products[:limit] if limit else products:
        data = draw_product_image(name=product.name, colour=str((product.attributes or {}).get("color", "")))
        upload = SimpleUploadedFile(f"{product.slug[:40]}.png", data, content_type="image/png")
        add_product_image(tenant=tenant, product=product, upload=upload, alt=product.name)
        added += 1
    return added
