"""The shapes of the reports API's answers (documentation only: the views return the selectors'
dicts). Each report's ``report`` field names it, so exactly one shape matches an answer."""

from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from apps.analytics.commerce import FUNNEL_STEPS

TOP_REPORTS = ["pages", "products", "referrers", "search-terms", "zero-result-searches"]


class _Meta(serializers.Serializer):
    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(help_text="First local date")
        fields["to"] = serializers.DateField(help_text="Last local date")
        fields["time_zone"] = serializers.CharField(help_text="The shop's time zone (IANA)")
        return fields


def _change():
    return serializers.FloatField(allow_null=True, help_text="Percent change; null when the previous value was 0")


class TrafficTotalsSerializer(serializers.Serializer):
    pageviews = serializers.IntegerField()
    visitors = serializers.IntegerField(help_text="Unique per day, summed over the days")
    sessions = serializers.IntegerField()
    bounces = serializers.IntegerField()
    product_views = serializers.IntegerField()
    searches = serializers.IntegerField()
    zero_result_searches = serializers.IntegerField()
    bounce_rate = serializers.FloatField(help_text="Percent of sessions with fewer than two pageviews")


class TrafficChangeSerializer(serializers.Serializer):
    pageviews = _change()
    visitors = _change()
    sessions = _change()
    bounces = _change()
    product_views = _change()
    searches = _change()
    zero_result_searches = _change()
    bounce_rate = _change()


class SummaryReportSerializer(_Meta):
    report = serializers.ChoiceField(choices=["summary"])
    totals = TrafficTotalsSerializer()
    previous = TrafficTotalsSerializer(help_text="The same totals over the period just before")
    change = TrafficChangeSerializer()


class TimeseriesRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="Local date, or HH:MM for a one-day range")
    visitors = serializers.IntegerField()
    pageviews = serializers.IntegerField()


class TimeseriesReportSerializer(_Meta):
    report = serializers.ChoiceField(choices=["timeseries"])
    rows = TimeseriesRowSerializer(many=True)


class TopRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class TopReportSerializer(_Meta):
    report = serializers.ChoiceField(choices=TOP_REPORTS)
    rows = TopRowSerializer(many=True)


class CommerceTotalsSerializer(serializers.Serializer):
    revenue = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text="Orders' totals as placed, less the refunds and the unrefunded cancellations made in the range",
    )
    refunds = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Refunded in the range")
    cancelled = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text="Cancelled in the range and not refunded (unpaid orders; a paid one's money is in refunds)",
    )
    orders = serializers.IntegerField(help_text="Orders placed less the whole orders cancelled in the range")
    average_order_value = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Half-up to the cent")
    conversion_rate = serializers.FloatField(help_text="Orders per session, percent (two decimals)")
    units = serializers.IntegerField(help_text="Items sold less the items cancelled")
    sessions = serializers.IntegerField()


class CommerceChangeSerializer(serializers.Serializer):
    revenue = _change()
    refunds = _change()
    cancelled = _change()
    orders = _change()
    average_order_value = _change()
    conversion_rate = _change()
    units = _change()
    sessions = _change()


class CommerceReportSerializer(_Meta):
    report = serializers.ChoiceField(choices=["commerce"])
    currency = serializers.CharField(help_text="ISO 4217 code of the amounts")
    totals = CommerceTotalsSerializer()
    previous = CommerceTotalsSerializer(help_text="The same totals over the period just before")
    change = CommerceChangeSerializer()


class FunnelStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=[step for step, _, _ in FUNNEL_STEPS])
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Events of this step in the range")
    of_previous = serializers.FloatField(allow_null=True, help_text="Percent of the previous step's count")
    drop_off = serializers.FloatField(allow_null=True, help_text="100 - of_previous (negative if the step grew)")
    of_first = serializers.FloatField(allow_null=True, help_text="Percent of the product views")


class FunnelReportSerializer(_Meta):
    report = serializers.ChoiceField(choices=["funnel"])
    steps = FunnelStepSerializer(many=True)


class ProductSalesRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Product id, or ref:<SKU> for a product no longer in the catalog")
    label = serializers.CharField()
    revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    units = serializers.IntegerField()


class ProductSalesReportSerializer(_Meta):
    report = serializers.ChoiceField(choices=["product-sales"])
    currency = serializers.CharField()
    rows = ProductSalesRowSerializer(many=True)


class VoucherRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    uses = serializers.IntegerField(help_text="Orders placed with the code")


class VoucherReportSerializer(_Meta):
    report = serializers.ChoiceField(choices=["vouchers"])
    rows = VoucherRowSerializer(many=True)


REPORT_RESPONSE = PolymorphicProxySerializer(
    component_name="AnalyticsReport",
    serializers=[
        SummaryReportSerializer,
        TimeseriesReportSerializer,
        TopReportSerializer,
        CommerceReportSerializer,
        FunnelReportSerializer,
        ProductSalesReportSerializer,
        VoucherReportSerializer,
    ],
    resource_type_field_name=None,
)
