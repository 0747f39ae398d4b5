"""Input and output shapes of the promotions staff API. Money and percentages are decimal strings;
times ISO 8601 (UTC out; in, an offset or the shop's time zone)."""

from __future__ import annotations

from rest_framework import serializers

from apps.core.api_fields import StrictBooleanField, StrictCharField
from apps.core.schema import documented
from apps.promotions.inputs import CODE_RE
from apps.promotions.models import VoucherKind

MONEY = {"max_digits": 12, "decimal_places": 2}
AMOUNT = {"pattern": r"^\d{1,10}(?:\.\d{1,2})?$", "description": 'A plain decimal string, e.g. "10" or "4.90"'}


class VoucherInputSerializer(serializers.Serializer):
    """A voucher, every field (PUT replaces them all; ``used_count`` is kept)."""

    code = documented(StrictCharField(max_length=40), pattern=CODE_RE.pattern)
    description = StrictCharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=VoucherKind.choices)
    value = documented(
        StrictCharField(max_length=13, required=False, allow_blank=True),
        **{**AMOUNT, "description": "% (above 0, up to 100) or an amount above 0; ignored for free shipping"},
    )
    min_subtotal = documented(StrictCharField(max_length=13, required=False, allow_null=True), **AMOUNT)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True, help_text="After starts_at")
    usage_limit = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1_000_000_000)
    once_per_customer = StrictBooleanField(required=False, default=False)
    is_active = StrictBooleanField(required=False, default=True)
    products = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
        help_text="Only these product ids of this shop (empty: any product)",
    )
    categories = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
        help_text="Only these category ids of this shop, with their subcategories",
    )


class VoucherSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=VoucherKind.choices)
    value = serializers.DecimalField(**MONEY)
    min_subtotal = serializers.DecimalField(**MONEY, allow_null=True)
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)
    usage_limit = serializers.IntegerField(allow_null=True)
    used_count = serializers.IntegerField()
    once_per_customer = serializers.BooleanField()
    is_active = serializers.BooleanField()
    products = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_products(self, voucher) -> list[int]:
        return sorted(p.pk for p in voucher.products.all())

    def get_categories(self, voucher) -> list[int]:
        return sorted(c.pk for c in voucher.categories.all())
