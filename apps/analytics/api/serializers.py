"""Analytics API serializers: the ingest batch (documentation and validation shape) and reports."""

from rest_framework import serializers

from apps.analytics.ingest import MAX_BATCH, MAX_RESULTS_COUNT
from apps.analytics.models import BEACON_EVENT_TYPES, EventType
from apps.core.api_fields import StrictBooleanField, StrictCharField, StrictEmailField


class EventInSerializer(serializers.Serializer):
    event_id = serializers.UUIDField(help_text="Client-made UUID; sending it again stores it once")
    type = serializers.ChoiceField(
        choices=[(value, label) for value, label in EventType.choices if value in BEACON_EVENT_TYPES],
        help_text="purchase is recorded by the server when an order is placed, never sent",
    )
    occurred_at = serializers.DateTimeField(help_text="ISO 8601; corrected by the batch's clock skew")
    url = serializers.CharField(required=False, help_text="Page URL; only the path is kept")
    referrer = serializers.CharField(required=False, help_text="Referring URL; only an external host is kept")
    product = serializers.CharField(required=False, help_text="Product id or SKU (product_view, add_to_cart)")
    query = serializers.CharField(required=False, help_text="Search terms (search)")
    results_count = serializers.IntegerField(required=False, min_value=0, max_value=MAX_RESULTS_COUNT)
    props = serializers.DictField(
        required=False,
        help_text="At most 20 keys, 2 KiB; scalar values. add_to_cart: optional quantity, a whole number 1-10,000",
    )


class IngestBatchSerializer(serializers.Serializer):
    key = serializers.CharField(required=False, help_text="The tenant's ingest key (or the X-Analytics-Key header)")
    sent_at = serializers.DateTimeField(required=False, help_text="When the client sent the batch (skew correction)")
    events = EventInSerializer(many=True, min_length=1, max_length=MAX_BATCH)


class RejectionSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    event_id = serializers.CharField(allow_null=True)
    reason = serializers.CharField()
    message = serializers.CharField()


class IngestResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    filtered = serializers.IntegerField(help_text="Dropped: bot, headless browser or Global Privacy Control")
    errors = RejectionSerializer(many=True)
    skew_seconds = serializers.FloatField()


class EraseMeSerializer(serializers.Serializer):
    confirm_email = StrictEmailField(help_text="Your account's email address, to confirm")
    password = StrictCharField(required=False, max_length=4096, write_only=True, help_text="Your password (or code)")
    code = StrictCharField(required=False, max_length=64, help_text="A two-factor or recovery code (or password)")


class ConsentSerializer(serializers.Serializer):
    analytics = StrictBooleanField(help_text="Link my storefront visits to my account")
