"""The orders API under ``/api/v1/t/<tenant_slug>/``.

- ``carts/...``: public; the cart's token (a UUID in the URL) is its only credential, so a mobile
  app needs no cookie. A JWT, if sent, makes a new cart the shopper's.
- ``orders/mine/...``: the signed-in shopper's own orders in this shop (JWT or session).
- ``orders/...``: staff (``orders.view``), through the membership check like every member view.

Views are thin: parse, call one service or selector, serialize.
"""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from apps.accounts.authentication import JWTAuthentication
from apps.core.errors import Invalid
from apps.core.pagination import StrictCursorPagination
from apps.orders import hooks, selectors, services
from apps.orders.api import serializers as s
from apps.orders.api.examples import (
    CART_EXAMPLE,
    CART_RESPONSES,
    INVALID_ADDRESS,
    ORDER_EXAMPLE,
    OUT_OF_STOCK,
    PRICE_CHANGED,
    VALIDATION,
)
from apps.orders.models import OrderStatus, PaymentStatus
from apps.tenants.access import get_public_tenant
from apps.tenants.api.permissions import TenantScopedAPIMixin


class CartAPIView(GenericAPIView):
    """Base of the cart endpoints: public, the token in the URL is the credential."""

    permission_classes = [AllowAny]
    authentication_classes = [JWTAuthentication]
    serializer_class = s.CartSerializer

    def load(self, tenant_slug: str, token):
        tenant = get_public_tenant(slug=tenant_slug)
        return tenant, selectors.get_cart(tenant=tenant, token=token)

    def cart_response(self, tenant, cart, status_code: int = 200) -> Response:
        cart.refresh_from_db()
        return Response(s.CartSerializer(selectors.review_cart(tenant=tenant, cart=cart)).data, status=status_code)


class CartCreateView(CartAPIView):
    @extend_schema(
        operation_id="orders_carts_create",
        summary="Create a cart (keep its token)",
        request=None,
        responses={201: OpenApiResponse(s.CartSerializer, examples=[OpenApiExample("new cart", CART_EXAMPLE)])},
    )
    def post(self, request, tenant_slug):
        tenant = get_public_tenant(slug=tenant_slug)
        user = request.user if request.user.is_authenticated else None
        return self.cart_response(tenant, services.create_cart(tenant=tenant, user=user), status.HTTP_201_CREATED)


class CartDetailView(CartAPIView):
    @extend_schema(
        operation_id="orders_carts_retrieve", summary="The cart, every line re-checked now", responses=CART_RESPONSES
    )
    def get(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        return self.cart_response(tenant, cart)


class CartLinesView(CartAPIView):
    @extend_schema(
        operation_id="orders_cart_lines_create",
        summary="Add a variant",
        request=s.AddLineInputSerializer,
        examples=[OpenApiExample("add", {"variant_id": 501, "quantity": 2}, request_only=True)],
        responses={
            201: s.CartSerializer,
            400: OpenApiResponse(description="Bad quantity or variant (error shape)", examples=[VALIDATION]),
            409: OpenApiResponse(
                description="out_of_stock, cart_limit, cart_closed (error shape)", examples=[OUT_OF_STOCK]
            ),
        },
    )
    def post(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        data = _body(request)
        services.add_to_cart(tenant=tenant, cart=cart, variant_id=data.get("variant_id"), quantity=data.get("quantity"))
        return self.cart_response(tenant, cart, status.HTTP_201_CREATED)


class CartLineDetailView(CartAPIView):
    @extend_schema(
        operation_id="orders_cart_lines_partial_update",
        summary="Change a line's quantity",
        request=s.UpdateLineInputSerializer,
        responses={200: s.CartSerializer, 400: OpenApiResponse(description="Bad quantity", examples=[VALIDATION])},
    )
    def patch(self, request, tenant_slug, token, line_id):
        tenant, cart = self.load(tenant_slug, token)
        services.update_cart_line(tenant=tenant, cart=cart, line_id=line_id, quantity=_body(request).get("quantity"))
        return self.cart_response(tenant, cart)

    @extend_schema(operation_id="orders_cart_lines_destroy", summary="Remove a line", responses={200: s.CartSerializer})
    def delete(self, request, tenant_slug, token, line_id):
        tenant, cart = self.load(tenant_slug, token)
        services.remove_cart_line(tenant=tenant, cart=cart, line_id=line_id)
        return self.cart_response(tenant, cart)


class CartAcceptPricesView(CartAPIView):
    @extend_schema(
        operation_id="orders_carts_accept_prices",
        summary="Accept the current prices of every line",
        request=None,
        responses={200: s.CartSerializer},
    )
    def post(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        services.accept_cart_prices(tenant=tenant, cart=cart)
        return self.cart_response(tenant, cart)


class CheckoutView(CartAPIView):
    @extend_schema(
        operation_id="orders_checkout_partial_update",
        summary="Set email, shipping address, shipping method and/or payment method",
        request=s.CheckoutInputSerializer,
        examples=[
            OpenApiExample(
                "all steps",
                {
                    "email": "ada@example.com",
                    "shipping_address": CART_EXAMPLE["shipping_address"],
                    "shipping_method": 3,
                    "payment_method": "bank_transfer",
                },
                request_only=True,
            )
        ],
        responses={
            200: s.CartSerializer,
            400: OpenApiResponse(
                description="invalid_address, validation_error, shipping_unavailable", examples=[INVALID_ADDRESS]
            ),
        },
    )
    def patch(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        services.update_checkout(tenant=tenant, cart=cart, data=_body(request))
        return self.cart_response(tenant, cart)


class ShippingMethodsView(CartAPIView):
    serializer_class = s.ShippingQuoteSerializer

    @extend_schema(
        operation_id="orders_cart_shipping_methods",
        summary="Shipping methods for the cart's address, priced for the cart ([] if none ships there)",
        responses={200: s.ShippingQuoteSerializer(many=True)},
    )
    def get(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        quotes = services.quotes_for_cart(tenant=tenant, cart=cart)
        return Response(s.ShippingQuoteSerializer(quotes, many=True).data)


class PaymentMethodsView(CartAPIView):
    serializer_class = s.PaymentMethodSerializer

    @extend_schema(
        operation_id="orders_cart_payment_methods",
        summary="Payment methods the shop offers",
        responses={200: s.PaymentMethodSerializer(many=True)},
    )
    def get(self, request, tenant_slug, token):
        tenant, _cart = self.load(tenant_slug, token)
        return Response(s.PaymentMethodSerializer(hooks.list_payment_methods(tenant), many=True).data)


class HoldView(CartAPIView):
    serializer_class = s.HoldSerializer

    @extend_schema(
        operation_id="orders_cart_hold",
        summary="Start checkout: hold the cart's stock for the shop's hold time",
        request=None,
        responses={
            200: s.HoldSerializer,
            409: OpenApiResponse(description="out_of_stock, cart_empty", examples=[OUT_OF_STOCK]),
        },
    )
    def post(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        return Response({"expires_at": services.hold_cart_stock(tenant=tenant, cart=cart)})


class PlaceOrderView(CartAPIView):
    serializer_class = s.PlacedOrderSerializer

    @extend_schema(
        operation_id="orders_cart_place_order",
        summary="Place the order (idempotent: same cart or same Idempotency-Key, same answer)",
        request=None,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                {"type": "string", "pattern": "^[!-~]{1,255}$"},
                OpenApiParameter.HEADER,
                description="1-255 printable characters (a UUID): a retry with it returns the same order and response",
            )
        ],
        responses={
            201: OpenApiResponse(
                s.PlacedOrderSerializer,
                examples=[
                    OpenApiExample(
                        "placed",
                        {
                            "order": ORDER_EXAMPLE,
                            "payment": {
                                "kind": "instructions",
                                "message": "Transfer 28.90 EUR with reference 1042.",
                                "client_secret": "",
                                "publishable_key": "",
                                "url": "",
                            },
                        },
                    )
                ],
            ),
            400: OpenApiResponse(description="checkout_incomplete, validation_error (error shape)"),
            409: OpenApiResponse(
                description="out_of_stock, price_changed, product_unavailable, cart_empty, idempotency_key_reused",
                examples=[OUT_OF_STOCK, PRICE_CHANGED],
            ),
        },
    )
    def post(self, request, tenant_slug, token):
        tenant, cart = self.load(tenant_slug, token)
        user = request.user if request.user.is_authenticated else None
        placed = services.place_order(
            tenant=tenant, cart=cart, idempotency_key=request.headers.get("Idempotency-Key", ""), user=user
        )
        step = services.start_payment(tenant=tenant, order=placed.order)
        body = {"order": placed.order, "payment": step.as_dict() if step else None}
        response = Response(s.PlacedOrderSerializer(body).data, status=status.HTTP_201_CREATED)
        if not placed.created:
            response["Idempotent-Replayed"] = "true"
        return response


class OrderCursorPagination(StrictCursorPagination):
    ordering = ("-created_at", "-id")


class MyOrdersView(GenericAPIView):
    """The signed-in shopper's orders in this shop."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.OrderSerializer
    pagination_class = OrderCursorPagination

    @extend_schema(
        operation_id="orders_mine_list",
        summary="My orders in this shop (newest first)",
        responses={200: s.OrderSerializer(many=True)},
    )
    def get(self, request, tenant_slug):
        tenant = get_public_tenant(slug=tenant_slug)
        page = self.paginate_queryset(selectors.list_customer_orders(tenant=tenant, user=request.user))
        return self.get_paginated_response(s.OrderSerializer(page, many=True).data)


class MyOrderDetailView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = s.OrderSerializer

    @extend_schema(operation_id="orders_mine_retrieve", summary="One of my orders by number")
    def get(self, request, tenant_slug, number):
        tenant = get_public_tenant(slug=tenant_slug)
        order = selectors.access_order(tenant=tenant, number=number, user=request.user)
        return Response(s.OrderSerializer(order).data)


# A day, or empty for "no bound" (what the list's form sends), as the parser reads it.
DATE_OR_EMPTY = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}
STAFF_FILTERS = [
    OpenApiParameter("q", str, description="An order number, or the start of the email"),
    OpenApiParameter("status", str, enum=["", *OrderStatus.values], description="Empty: any status"),
    OpenApiParameter("payment_status", str, enum=["", *PaymentStatus.values], description="Empty: any payment status"),
    OpenApiParameter(
        "created_from", DATE_OR_EMPTY, description="Orders placed on or after this day (YYYY-MM-DD); empty: no bound"
    ),
    OpenApiParameter(
        "created_to", DATE_OR_EMPTY, description="Orders placed on or before this day (YYYY-MM-DD); empty: no bound"
    ),
]


def parse_order_filters(params) -> dict:
    """The staff list's filters from query parameters; :class:`Invalid` for unknown values."""
    errors: dict = {}
    filters = {"q": params.get("q", "")[:254]}
    for name, allowed in (("status", OrderStatus.values), ("payment_status", PaymentStatus.values)):
        value = params.get(name, "")
        if value and value not in allowed:
            errors[name] = [f"Choose one of: {', '.join(allowed)}."]
        filters[name] = value
    for name, key in (("created_from", "date_from"), ("created_to", "date_to")):
        value = params.get(name, "")
        try:
            filters[key] = date.fromisoformat(value) if value else None
        except ValueError:
            errors[name] = ["Enter a date as YYYY-MM-DD."]
    if errors:
        raise Invalid(errors)
    return filters


class StaffOrderListView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"GET": "orders.view"}
    serializer_class = s.OrderSummarySerializer
    pagination_class = OrderCursorPagination

    @extend_schema(
        operation_id="orders_staff_list",
        summary="The shop's orders (staff)",
        parameters=STAFF_FILTERS,
        responses={200: s.OrderSummarySerializer(many=True)},
    )
    def get(self, request, tenant_slug):
        qs = selectors.list_orders(tenant=self.tenant, **parse_order_filters(request.query_params))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.OrderSummarySerializer(page, many=True).data)


class StaffOrderDetailView(TenantScopedAPIMixin, GenericAPIView):
    tenant_permissions = {"GET": "orders.view"}
    serializer_class = s.StaffOrderSerializer

    @extend_schema(operation_id="orders_staff_retrieve", summary="An order with its lines and events (staff)")
    def get(self, request, tenant_slug, number):
        order = selectors.access_order(tenant=self.tenant, number=number)
        return Response(s.StaffOrderSerializer(order).data)


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise Invalid({"non_field_errors": ["Send a JSON object."]})
    return request.data
