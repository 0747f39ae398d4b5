"""API shapes of the catalog. Output serializers read plain model rows; input serializers parse
types only — the services validate (tenant ownership of ids, uniqueness, prices, currency)."""

from __future__ import annotations

from rest_framework import serializers

from apps.catalog.models import Category, Product, ProductImage, ProductStatus, Variant
from apps.catalog.selectors import image_data
from apps.catalog.validation import ATTR_KEY_RE, MAX_DESCRIPTION, MAX_NAME, SKU_RE
from apps.core.api_fields import StrictCharField
from apps.core.schema import documented

# What the catalog services enforce, stated in the schema (the services keep the rules' messages).
PRICE_SCHEMA = {
    "pattern": r"^\d{1,10}(?:\.\d{1,2})?$",
    "description": 'A plain decimal string from "0" to "9999999999.99", at most two decimals, e.g. "19.90"',
}
SLUG_PATTERN = r"^$|^[a-z0-9](?:[a-z0-9_]*[a-z0-9])?(?:-[a-z0-9_]*[a-z0-9])*$"


def attributes_field(**kwargs):
    """A flat object of attribute names (a-z, 0-9, _; 1-40 characters) to short texts, 30 at most."""
    return documented(
        serializers.DictField(child=StrictCharField(max_length=100, trim_whitespace=True), required=False, **kwargs),
        type="object",
        description=f"Names match {ATTR_KEY_RE.pattern} (400 otherwise); values are texts of 100 characters at most",
        additionalProperties={"type": "string", "maxLength": 100},
        maxProperties=30,
    )


class VariantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Variant
        fields = [
            "id",
            "sku",
            "options",
            "price",
            "compare_at_price",
            "currency",
            "stock",
            "low_stock_threshold",
            "position",
            "stock_status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    stock_status = serializers.CharField(read_only=True)


class ImageSerializer(serializers.ModelSerializer):
    src = serializers.SerializerMethodField()
    srcset = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "alt", "position", "width", "height", "src", "srcset", "created_at"]
        read_only_fields = fields

    def _image(self, obj) -> dict:
        return image_data(self.context["tenant"], obj)

    def get_src(self, obj) -> str:
        return self._image(obj)["src"]

    def get_srcset(self, obj) -> str:
        return self._image(obj)["srcset"]


class ProductSerializer(serializers.ModelSerializer):
    currency = serializers.SerializerMethodField()
    in_stock = serializers.BooleanField(read_only=True)
    variants = VariantSerializer(many=True, read_only=True)
    images = ImageSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "public_id",
            "name",
            "slug",
            "description",
            "status",
            "category",
            "attributes",
            "seo_title",
            "seo_description",
            "price_min",
            "price_max",
            "currency",
            "stock_total",
            "in_stock",
            "variants",
            "images",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_currency(self, obj) -> str:
        return self.context["tenant"].currency


class VariantInputSerializer(serializers.Serializer):
    """A variant; ``sku`` and ``price`` are required on create. ``compare_at_price`` must be above
    ``price``; ``currency``, if sent, must be the shop's. SKUs are unique in the shop (400, or 409 in a race)."""

    sku = documented(StrictCharField(max_length=64, required=False), pattern=SKU_RE.pattern)
    options = attributes_field()
    price = documented(StrictCharField(max_length=40, required=False), **PRICE_SCHEMA)
    compare_at_price = documented(
        StrictCharField(max_length=40, required=False, allow_null=True, allow_blank=True),
        pattern=f"^$|{PRICE_SCHEMA['pattern']}",
        description="Above the price, or empty for none",
    )
    currency = documented(
        StrictCharField(max_length=3, required=False, help_text="Must be the shop's currency"),
        pattern="^[A-Za-z]{3}$",
    )
    stock = serializers.IntegerField(required=False, min_value=0, max_value=2_000_000_000)
    low_stock_threshold = serializers.IntegerField(required=False, min_value=0, max_value=2_000_000_000)
    position = serializers.IntegerField(required=False, min_value=0, max_value=100_000)


class ProductInputSerializer(serializers.Serializer):
    """A product; ``name`` is required on create (and PUT). The slug defaults to the name's and is
    unique in the shop; ``category`` is a category id of this shop."""

    name = documented(StrictCharField(max_length=MAX_NAME, required=False, allow_blank=True), pattern=r"\S")
    slug = documented(StrictCharField(max_length=220, required=False, allow_blank=True), pattern=SLUG_PATTERN)
    description = documented(
        StrictCharField(required=False, allow_blank=True, trim_whitespace=False), maxLength=MAX_DESCRIPTION
    )
    status = serializers.ChoiceField(choices=ProductStatus.choices, required=False)
    category = serializers.IntegerField(required=False, allow_null=True, help_text="A category id of this shop")
    attributes = attributes_field()
    seo_title = StrictCharField(max_length=70, required=False, allow_blank=True)
    seo_description = StrictCharField(max_length=160, required=False, allow_blank=True)
    variants = VariantInputSerializer(many=True, required=False, help_text="On create or bulk upsert only")


class BulkInputSerializer(serializers.Serializer):
    items = ProductInputSerializer(many=True, max_length=500, min_length=1)


class BulkResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    status = serializers.CharField(help_text="created, updated or error")
    id = serializers.IntegerField(allow_null=True)
    error = serializers.DictField(allow_null=True)


class BulkOutputSerializer(serializers.Serializer):
    results = BulkResultSerializer(many=True)


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "parent", "path", "depth", "description"]
        read_only_fields = fields


class CategoryInputSerializer(serializers.Serializer):
    """A category; ``name`` is required on create. The slug is made from the text given (or the name)
    and is unique in the shop; ``parent`` is a category id of this shop, 20 levels deep at most."""

    name = documented(StrictCharField(max_length=120, required=False), pattern=r"\S")
    slug = StrictCharField(max_length=200, required=False, allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True, help_text="A category id of this shop")
    description = StrictCharField(required=False, allow_blank=True)


class ImageInputSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG, WebP or GIF; size and pixel count limited")
    alt = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PublicVariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    options = serializers.DictField()
    price = serializers.CharField()
    compare_at_price = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    stock_status = serializers.CharField()


class PublicProductBaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    name = serializers.CharField()
    slug = serializers.CharField()
    price_min = serializers.CharField(allow_null=True)
    price_max = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    in_stock = serializers.BooleanField()


class PublicImageSerializer(serializers.Serializer):
    src = serializers.CharField()
    srcset = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField()


class PublicProductCardSerializer(PublicProductBaseSerializer):
    image = PublicImageSerializer(allow_null=True)


class PublicCategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class PublicProductSerializer(PublicProductBaseSerializer):
    description = serializers.CharField()
    attributes = serializers.DictField(child=serializers.CharField())
    category = PublicCategoryRefSerializer(allow_null=True)
    variants = PublicVariantSerializer(many=True)
    images = PublicImageSerializer(many=True)


class PublicCategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    path = serializers.CharField()
    depth = serializers.IntegerField()
