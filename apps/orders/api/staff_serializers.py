"""Shapes of the staff order exports and customers API (``orders/exports/...``, ``customers/...``)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from rest_framework import serializers

from apps.core.api_fields import StrictCharField
from apps.core.schema import documented
from apps.orders.api.serializers import MONEY, OrderSummarySerializer
from apps.orders.models import OrderExportKind, OrderExportStatus, OrderStatus, PaymentStatus

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
Q_MAX_LENGTH = 254


def _date_field(help_text: str):
    return documented(
        StrictCharField(
            required=False,
            allow_blank=True,
            validators=[RegexValidator(DATE_PATTERN, "Enter a date as YYYY-MM-DD.")],
            help_text=help_text,
        ),
        pattern=r"^$|^\d{4}-\d{2}-\d{2}$",
        maxLength=10,
    )


class ExportInputSerializer(serializers.Serializer):
    """What to export and the order list's filters (the same as ``GET orders/``)."""

    kind = serializers.ChoiceField(
        choices=OrderExportKind.choices, help_text="orders: one row per order; lines: per line"
    )
    q = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=Q_MAX_LENGTH,
        help_text="An order number, or the start of the email",
    )
    status = serializers.ChoiceField(choices=["", *OrderStatus.values], required=False, help_text="Empty: any status")
    payment_status = serializers.ChoiceField(
        choices=["", *PaymentStatus.values], required=False, help_text="Empty: any payment status"
    )
    created_from = _date_field("Orders placed on or after this day (YYYY-MM-DD)")
    created_to = _date_field("Orders placed on or before this day (YYYY-MM-DD)")


class ExportProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(min_value=0)
    total = serializers.IntegerField(min_value=0)
    percent = serializers.IntegerField(min_value=0, max_value=100)


class ExportFiltersSerializer(serializers.Serializer):
    q = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
    payment_status = serializers.CharField(required=False)
    created_from = serializers.DateField(required=False)
    created_to = serializers.DateField(required=False)


class ExportJobSerializer(serializers.Serializer):
    """An export job: poll it until ``status`` is ``done`` (then ``download_url``) or ``failed``."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OrderExportKind.choices)
    status = serializers.ChoiceField(choices=OrderExportStatus.choices)
    filters = ExportFiltersSerializer()
    progress = ExportProgressSerializer()
    total_rows = serializers.IntegerField(min_value=0, help_text="Rows written (when done)")
    message = serializers.CharField(help_text="What happened (when done or failed)")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.URLField(allow_null=True, help_text="The CSV once done; null before")


class CustomerSerializer(serializers.Serializer):
    """One email's figures in the shop (guests and accounts alike)."""

    email = serializers.CharField()
    orders = serializers.IntegerField(min_value=1, help_text="Orders placed with this email")
    spent = serializers.DecimalField(**MONEY, help_text="Totals of paid and partially refunded orders")
    currency = serializers.CharField()
    last_order_at = serializers.DateTimeField()
    last_order_number = serializers.IntegerField()


class CustomerDetailSerializer(CustomerSerializer):
    recent_orders = OrderSummarySerializer(many=True, help_text="The newest 100 orders, newest first")
