"""Catalog rows: categories (materialised path), products, variants, images and background jobs.

No business logic here: writes go through ``apps.catalog.services``, reads through
``apps.catalog.selectors``. Search-only indexes (GIN on the search vector, trigram on the name,
jsonb_path_ops on attributes) are created by migration 0002 on PostgreSQL only, so that the
embedded SQLite demo still migrates.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Round
from django.utils import timezone

from apps.tenants.scoping import TenantOwnedModel

PATH_STEP = 8  # each step of Category.path is the category id zero-padded to 8 digits plus "."


class Category(TenantOwnedModel):
    """A node of the tenant's category tree.

    ``path`` is the materialised path: the ids of the ancestors and the node itself, each
    zero-padded to 8 digits and followed by ``.`` (``00000001.00000007.``). Descendants share the
    prefix, ancestors' ids are in the path itself, ``depth`` is 0 at the root.
    """

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    path = models.CharField(max_length=255, blank=True, default="")
    depth = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["tenant", "slug"], name="catalog_category_unique_slug")]
        indexes = [models.Index(fields=["tenant", "path"], name="catalog_category_path_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids of the ancestors, root first (not including this node)."""
        return [int(step) for step in self.path.split(".") if step][:-1]


class ProductStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Product(TenantOwnedModel):
    """A product; a simple product has one variant. Price and stock summaries are denormalised
    from the variants (``price_min``, ``price_max``, ``stock_total``) so listings filter and sort
    on indexed columns instead of joining variants.

    ``sale_percentage`` is the best sale live on the product (``apps.catalog.sale_prices``, fed by
    the ``price_hooks`` sale targets; None: not on sale) and ``effective_price_min`` the lowest
    price a shopper pays, computed by the database from both (the ``sale_price`` formula: half-up
    to the cent), so every write of ``price_min`` keeps it right. The storefront and public API
    sort, filter and count price facets on it; the console and staff API on ``price_min``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="products")
    attributes = models.JSONField(default=dict, blank=True)
    seo_title = models.CharField(max_length=70, blank=True, default="")
    seo_description = models.CharField(max_length=160, blank=True, default="")
    price_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    price_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    stock_total = models.IntegerField(default=0)
    sale_percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    effective_price_min = models.GeneratedField(
        expression=Case(
            When(sale_percentage__isnull=True, then=F("price_min")),
            default=Round(F("price_min") * (Value(100) - F("sale_percentage")) / Value(100), precision=2),
        ),
        output_field=models.DecimalField(max_digits=12, decimal_places=2, null=True),
        db_persist=True,
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "slug"], name="catalog_product_unique_slug"),
            models.CheckConstraint(
                condition=Q(sale_percentage__isnull=True) | Q(sale_percentage__gt=0, sale_percentage__lt=100),
                name="catalog_product_sale_percentage_range",
            ),
        ]
        indexes = [
            # storefront orderings, with the id tie-break: a page's ids come from an index-only scan
            # (selectors.get_storefront_listing), so page 1,500 skips index entries, not rows
            models.Index(fields=["tenant", "status", "-created_at", "-id"], name="catalog_product_newest_id_idx"),
            models.Index(fields=["tenant", "status", "price_min", "id"], name="catalog_product_price_id_idx"),
            # the storefront's and public API's price sort and filters: the sale-adjusted price
            models.Index(
                fields=["tenant", "status", "effective_price_min", "id"], name="catalog_product_eff_price_idx"
            ),
            models.Index(fields=["tenant", "status", "name", "id"], name="catalog_product_name_id_idx"),
            models.Index(fields=["tenant", "category", "status"], name="catalog_product_category_idx"),
            # the console lists every status: newest and price orderings straight from an index
            models.Index(fields=["tenant", "-created_at", "-id"], name="catalog_product_all_newest_idx"),
            models.Index(fields=["tenant", "price_min", "id"], name="catalog_product_all_price_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_stock(self) -> bool:
        return self.stock_total > 0


class Variant(TenantOwnedModel):
    """A sellable variant of a product, identified by its SKU (unique per tenant)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=64)
    options = models.JSONField(default=dict, blank=True, help_text="Option values, e.g. {'size': 'M'}")
    price = models.DecimalField(max_digits=12, decimal_places=2)
    compare_at_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3)
    stock = models.IntegerField(default=0)
    # Units promised to placed orders and not yet shipped (``apps.catalog.stock``); never above stock.
    allocated = models.IntegerField(default=0, db_default=0)
    weight_grams = models.PositiveIntegerField(null=True, blank=True, help_text="For shipping by weight")
    low_stock_threshold = models.IntegerField(default=5)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "sku"], name="catalog_variant_unique_sku"),
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_variant_price_gte_0"),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True) | Q(compare_at_price__gte=0),
                name="catalog_variant_compare_at_gte_0",
            ),
            models.CheckConstraint(condition=Q(stock__gte=0), name="catalog_variant_stock_gte_0"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=models.F("stock")),
                name="catalog_variant_allocated_within_stock",
            ),
            models.CheckConstraint(condition=Q(low_stock_threshold__gte=0), name="catalog_variant_threshold_gte_0"),
        ]
        indexes = [models.Index(fields=["tenant", "product"], name="catalog_variant_product_idx")]

    def __str__(self) -> str:
        return self.sku

    @property
    def stock_status(self) -> str:
        """``out_of_stock``, ``low_stock`` or ``in_stock``, by the units not allocated to orders."""
        if self.available <= 0:
            return "out_of_stock"
        if self.available <= self.low_stock_threshold:
            return "low_stock"
        return "in_stock"

    @property
    def available(self) -> int:
        """Units on hand not yet allocated to orders (carts' holds are the orders app's concern)."""
        return self.stock - self.allocated

    @property
    def option_label(self) -> str:
        return ", ".join(f"{key}: {value}" for key, value in (self.options or {}).items()) or self.sku


def image_upload_to(instance: ProductImage, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"catalog/{instance.tenant_id}/images/{uuid.uuid4().hex}.{ext}"


class ProductImage(TenantOwnedModel):
    """An image of a product; ``thumbnails`` maps width (as a string) to a WebP file name in the
    default storage, filled by ``apps.catalog.tasks.make_thumbnails``."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=image_upload_to, width_field="width", height_field="height", max_length=255)
    alt = models.CharField(max_length=200, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    thumbnails = models.JSONField(default=dict, blank=True)
    # The URL a CSV import fetched it from (blank for uploads): a second import skips it.
    source_url = models.CharField(max_length=2000, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["tenant", "product", "position"], name="catalog_image_order_idx")]

    def __str__(self) -> str:
        return self.alt or self.image.name


class JobKind(models.TextChoices):
    IMPORT = "import", "Import"
    EXPORT = "export", "Export"


class JobStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportMode(models.TextChoices):
    SKIP = "skip", "Import the good rows, report the bad"
    ATOMIC = "atomic", "All or nothing"


class CatalogJob(TenantOwnedModel):
    """A background CSV import or export. Live progress is kept in the cache (visible while the
    import's transaction is still open); the row holds the final figures and files."""

    kind = models.CharField(max_length=6, choices=JobKind.choices)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    mode = models.CharField(max_length=6, choices=ImportMode.choices, default=ImportMode.SKIP)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.FileField(upload_to="catalog/jobs/", max_length=255, blank=True)
    result = models.FileField(upload_to="catalog/jobs/", max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "kind", "-created_at"], name="catalog_job_recent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class FacetSnapshot(TenantOwnedModel):
    """Facet counts of a browse filter set (no search words, no attribute filters) stored in
    PostgreSQL, so a storefront page whose Redis entry is gone (flushed, evicted) does not count
    the whole catalog again. Every committed catalog write deletes the tenant's snapshots
    (``services.catalog_changed``); ``computed_at`` bounds what a write outside the services leaves."""

    key = models.CharField(max_length=64)
    data = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="catalog_facetsnapshot_unique_key")]


class ContentPage(TenantOwnedModel):
    """A shop's own page (about, shipping and returns, privacy, terms), written by its staff in
    the console, shown on the storefront at ``/s/<slug>/pages/<kind>/`` and linked from the
    footer once published. The body is plain text (paragraphs by blank lines), never HTML."""

    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=120)
    body = models.TextField(blank=True, default="")
    published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "kind"], name="catalog_contentpage_unique_kind")]

    def __str__(self) -> str:
        return self.title


class MenuItem(TenantOwnedModel):
    """One link of a storefront menu (``menus.py``): the header's (a dropdown one level deep:
    ``parent`` is a top-level header item) or the footer's. It points at a category, a content
    page or a path on the same shop, never at another site. No items: the default menus."""

    class Menu(models.TextChoices):
        HEADER = "header", "Header"
        FOOTER = "footer", "Footer"

    class Kind(models.TextChoices):
        CATEGORY = "category", "Category"
        PAGE = "page", "Content page"
        PATH = "path", "Address on this shop"

    menu = models.CharField(max_length=8, choices=Menu.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    label = models.CharField(max_length=60)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    page_kind = models.CharField(max_length=32, blank=True, default="")
    path = models.CharField(max_length=200, blank=True, default="", help_text="After /s/<slug>/, e.g. c/tables/")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["menu", "position", "id"]
        indexes = [models.Index(fields=["tenant", "menu", "position"], name="catalog_menuitem_menu_idx")]

    def __str__(self) -> str:
        return self.label
