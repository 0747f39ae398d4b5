"""Input and output shapes of the staff after-sales API (ship, cancel, refund, return, notes).
Input fields are JSON and documented as the services enforce them; the services validate."""

from __future__ import annotations

from rest_framework import serializers

from apps.core.schema import documented
from apps.orders.api.serializers import MONEY
from apps.orders.carriers import CARRIERS

LINES_SCHEMA = {
    "type": "array",
    "maxItems": 500,
    "items": {
        "type": "object",
        "required": ["line_id", "quantity"],
        "properties": {"line_id": {"type": "integer"}, "quantity": {"type": "integer", "minimum": 0}},
    },
}


def _lines(help_text: str):
    return documented(serializers.JSONField(required=False, help_text=help_text), **LINES_SCHEMA)


class FulfilInputSerializer(serializers.Serializer):
    lines = _lines("The units to ship; leave out to ship every unit still to ship")
    carrier = documented(
        serializers.CharField(required=False, allow_blank=True, help_text="A carrier code"), enum=["", *CARRIERS]
    )
    tracking_number = documented(
        serializers.CharField(required=False, allow_blank=True, help_text="Needs a carrier"),
        maxLength=100,
        pattern=r"^[A-Za-z0-9 \-_/.]*$",
    )
    tracking_url = documented(
        serializers.CharField(required=False, allow_blank=True, help_text="The carrier's https link (carrier 'other')"),
        maxLength=500,
        pattern=r"^$|^https://\S+$",
    )


class CancelInputSerializer(serializers.Serializer):
    reason = documented(serializers.CharField(required=False, allow_blank=True), maxLength=500)


class RefundInputSerializer(serializers.Serializer):
    amount = documented(
        serializers.CharField(
            required=False, allow_blank=True, help_text="An amount to refund; or give lines and/or shipping instead"
        ),
        pattern=r"^$|^\d{1,10}(?:\.\d{1,2})?$",
    )
    lines = _lines("The units to refund (their share of what was paid, tax included)")
    shipping = documented(serializers.JSONField(required=False, help_text="Refund the shipping too"), type="boolean")
    reason = documented(serializers.CharField(required=False, allow_blank=True), maxLength=500)


class ReturnInputSerializer(serializers.Serializer):
    lines = documented(
        serializers.JSONField(help_text="The units that came back (shipped, not yet returned)"), **LINES_SCHEMA
    )
    restock = documented(serializers.JSONField(required=False, help_text="Put the units back on hand"), type="boolean")
    reason = documented(serializers.CharField(required=False, allow_blank=True), maxLength=500)


class NoteInputSerializer(serializers.Serializer):
    body = documented(serializers.CharField(), minLength=1, maxLength=5000)


class RefundSerializer(serializers.Serializer):
    refund_id = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    currency = serializers.CharField()
    status = documented(serializers.CharField(), pattern="^(pending|succeeded|failed)$")
    manual = serializers.BooleanField(help_text="Bank transfer / cash on delivery: staff pay it back themselves")
    provider = serializers.CharField()


class ReturnLineSerializer(serializers.Serializer):
    line_id = serializers.IntegerField(source="order_line_id")
    quantity = serializers.IntegerField()


class ReturnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    restocked = serializers.BooleanField()
    reason = serializers.CharField()
    lines = ReturnLineSerializer(many=True, source="lines.all")
    order_status = serializers.CharField(source="order.status")
    created_at = serializers.DateTimeField()


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_author(self, note) -> str:
        return note.author.email if note.author_id and note.author else ""
