"""``carts/<token>/voucher/``: put a voucher code on a cart (POST) or take it off (DELETE).

Public like every cart endpoint (the token is the credential); the rules are ``apps.promotions``'
and the cart's review shows the discount per line and in the totals.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema

from apps.core.errors import ErrorCode
from apps.core.schema import error_responses
from apps.orders import services
from apps.orders.api import serializers as s
from apps.orders.api.examples import CART_RESPONSES
from apps.orders.api.views import CartAPIView, _body

VOUCHER_CONFLICTS = [
    ErrorCode.VOUCHER_NOT_STARTED,
    ErrorCode.VOUCHER_EXPIRED,
    ErrorCode.VOUCHER_USED_UP,
    ErrorCode.VOUCHER_ALREADY_USED,
    ErrorCode.VOUCHER_BELOW_MINIMUM,
    ErrorCode.VOUCHER_NOT_APPLICABLE,
    ErrorCode.CART_CLOSED,
]


class CartVoucherView(CartAPIView):
    @extend_schema(
        operation_id="orders_cart_voucher_apply",
        summary="Apply a voucher code to the cart (replaces any code it had)",
        request=s.CartVoucherInputSerializer,
        examples=[OpenApiExample("apply", {"code": "save10"}, request_only=True)],
        responses={
            200: CART_RESPONSES[200],
            **error_responses({400: [ErrorCode.VOUCHER_INVALID], 409: VOUCHER_CONFLICTS}),
        },
    )
    def post(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        serializer = s.CartVoucherInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        services.apply_voucher_code(tenant=tenant, cart=cart, code=serializer.validated_data["code"])
        return self.cart_response(tenant, cart)

    @extend_schema(
        operation_id="orders_cart_voucher_remove",
        summary="Remove the cart's voucher code",
        request=None,
        responses={200: CART_RESPONSES[200], **error_responses({409: [ErrorCode.CART_CLOSED]})},
    )
    def delete(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        services.remove_voucher_code(tenant=tenant, cart=cart)
        return self.cart_response(tenant, cart)
