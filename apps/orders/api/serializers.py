"""Input and output shapes of the orders API. Money is a decimal string beside its currency."""

from __future__ import annotations

from rest_framework import serializers

from apps.core.api_fields import StrictCharField
from apps.core.schema import documented

MONEY = {"max_digits": 12, "decimal_places": 2}


# --- input ---------------------------------------------------------------------------------------


class AddLineInputSerializer(serializers.Serializer):
    # JSONField: the service parses and words the errors; the schema states the type it accepts.
    variant_id = documented(serializers.JSONField(help_text="The variant to add (an integer id)"), type="integer")
    quantity = documented(
        serializers.JSONField(help_text="1 to the shop's per-line limit (default 50)"), type="integer", minimum=1
    )


class UpdateLineInputSerializer(serializers.Serializer):
    quantity = documented(
        serializers.JSONField(help_text="1 to the shop's per-line limit (default 50)"), type="integer", minimum=1
    )


class AddressSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100)
    postal_code = serializers.CharField(max_length=20)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. FR")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


class CheckoutInputSerializer(serializers.Serializer):
    """Any of the steps; sent together they apply in this order, all or nothing."""

    email = serializers.EmailField(required=False)
    shipping_address = AddressSerializer(required=False)
    shipping_method = serializers.IntegerField(required=False, help_text="An id from shipping-methods/")
    payment_method = serializers.CharField(required=False, help_text="A code from payment-methods/")


# --- output --------------------------------------------------------------------------------------


class AmountsSerializer(serializers.Serializer):
    total = serializers.DecimalField(**MONEY)
    tax = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)


class CartLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    options = serializers.DictField(child=serializers.CharField())
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(**MONEY, help_text="The price the shopper accepted")
    current_price = serializers.DecimalField(**MONEY, help_text="The catalog price now")
    available = serializers.IntegerField()
    amounts = AmountsSerializer(help_text="After the line's discount")
    discount = serializers.DecimalField(**MONEY, help_text="The voucher's share of this line")
    problems = serializers.ListField(
        child=serializers.ChoiceField(["price_changed", "unavailable", "out_of_stock", "insufficient_stock"])
    )


class ShippingQuoteSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="method_id")
    name = serializers.CharField()
    price = serializers.DecimalField(**MONEY)
    delivery_estimate = serializers.CharField()
    zone = serializers.CharField()


class TotalsSerializer(serializers.Serializer):
    subtotal = serializers.DecimalField(**MONEY, help_text="The lines as priced, before the discount")
    discount = serializers.DecimalField(
        **MONEY, source="discount_total", help_text="The voucher's discount (lines and shipping)"
    )
    shipping = serializers.DecimalField(**MONEY, source="shipping.total", help_text="After a free-shipping code")
    tax = serializers.DecimalField(**MONEY, source="tax_total")
    total = serializers.DecimalField(**MONEY)


class VoucherProblemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="voucher_expired, voucher_used_up, voucher_below_minimum, ...")
    message = serializers.CharField()


class CartVoucherInputSerializer(serializers.Serializer):
    code = StrictCharField(max_length=100, help_text="The code, in any case")


class CartSerializer(serializers.Serializer):
    """A cart as re-checked now (``CartReview``)."""

    token = serializers.UUIDField(source="cart.token", help_text="The cart's secret: keep it, send it in the URL")
    currency = serializers.CharField()
    prices_include_tax = serializers.BooleanField()
    email = serializers.CharField(source="cart.email")
    shipping_address = serializers.DictField(source="cart.shipping_address")
    shipping_method = ShippingQuoteSerializer(source="shipping", allow_null=True)
    payment_method = serializers.CharField(source="cart.payment_method")
    lines = CartLineSerializer(many=True)
    item_count = serializers.IntegerField()
    has_problems = serializers.BooleanField()
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    totals = TotalsSerializer()
    hold_expires_at = serializers.DateTimeField(allow_null=True)
    voucher_code = serializers.CharField(help_text="The code entered (empty for none)")
    voucher_problem = VoucherProblemSerializer(
        allow_null=True, help_text="Why the code does not apply now (it then takes nothing off)"
    )


class PaymentMethodSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()


class HoldSerializer(serializers.Serializer):
    expires_at = serializers.DateTimeField()


class PaymentStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["none", "instructions", "client_secret", "redirect", "error"])
    message = serializers.CharField()
    client_secret = serializers.CharField()
    publishable_key = serializers.CharField()
    url = serializers.CharField()


class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The line's id (to ship, return or refund it)")
    product_name = serializers.CharField()
    sku = serializers.CharField()
    options = serializers.DictField()
    quantity = serializers.IntegerField()
    quantity_fulfilled = serializers.IntegerField()
    quantity_cancelled = serializers.IntegerField()
    quantity_returned = serializers.IntegerField()
    unit_price = serializers.DecimalField(**MONEY)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    total = serializers.DecimalField(**MONEY, help_text="unit_price x quantity - discount")
    tax = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)


class FulfilmentLineSerializer(serializers.Serializer):
    line_id = serializers.IntegerField(source="order_line_id")
    quantity = serializers.IntegerField()


class FulfilmentSerializer(serializers.Serializer):
    sequence = serializers.IntegerField(help_text="1, 2, ... per order")
    carrier = serializers.CharField(help_text="A carrier code, or empty")
    tracking_number = serializers.CharField()
    tracking_link = serializers.CharField(help_text="The carrier's tracking page for the shopper, or empty")
    lines = FulfilmentLineSerializer(many=True, source="lines.all")
    created_at = serializers.DateTimeField()


class OrderSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    public_id = serializers.UUIDField()
    email = serializers.CharField()
    status = serializers.CharField()
    payment_status = serializers.CharField()
    payment_method = serializers.CharField()
    currency = serializers.CharField()
    total = serializers.DecimalField(**MONEY)
    created_at = serializers.DateTimeField()


class OrderEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    actor = serializers.SerializerMethodField()
    data = serializers.DictField()
    created_at = serializers.DateTimeField()

    def get_actor(self, event) -> str:
        return event.actor.email if event.actor_id and event.actor else event.actor_label


class OrderSerializer(OrderSummarySerializer):
    shipping_address = serializers.DictField()
    shipping_method_name = serializers.CharField()
    delivery_estimate = serializers.CharField()
    prices_include_tax = serializers.BooleanField()
    subtotal = serializers.DecimalField(**MONEY)
    shipping_price = serializers.DecimalField(**MONEY)
    tax_total = serializers.DecimalField(**MONEY)
    net_total = serializers.DecimalField(**MONEY)
    voucher_code = serializers.CharField()
    discount_total = serializers.DecimalField(**MONEY)
    shipping_discount = serializers.DecimalField(**MONEY)
    lines = OrderLineSerializer(many=True, source="lines.all")
    shipments = FulfilmentSerializer(many=True, source="fulfilments.all")


class StaffOrderSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True, source="events.all")


class PlacedOrderSerializer(serializers.Serializer):
    order = OrderSerializer()
    payment = PaymentStepSerializer(allow_null=True, help_text="What to do to pay; null if starting it failed")
