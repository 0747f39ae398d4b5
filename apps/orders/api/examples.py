"""OpenAPI examples of the cart, checkout and order operations (``apps.orders.api.views``): a cart,
an order, and the error bodies a shopper's client must handle, in the one error shape."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

from apps.orders.api import serializers as s


def _error(code: str, message: str, details: dict) -> dict:
    return {"error": {"code": code, "message": message, "details": details, "request_id": "0f6c2b1e9a8d4c7b"}}


OUT_OF_STOCK = OpenApiExample(
    "out_of_stock",
    _error(
        "out_of_stock",
        "Some items are no longer available in the quantity you asked for.",
        {"lines": [{"line_id": 7, "variant_id": 501, "sku": "MUG-RED", "requested": 2, "available": 1}]},
    ),
)
PRICE_CHANGED = OpenApiExample(
    "price_changed",
    _error(
        "price_changed",
        "Some prices have changed since you added the items: review and accept them to continue.",
        {
            "lines": [
                {"line_id": 7, "variant_id": 501, "sku": "MUG-RED", "accepted_price": "12.00", "current_price": "13.50"}
            ]
        },
    ),
)
INVALID_ADDRESS = OpenApiExample(
    "invalid_address",
    _error(
        "invalid_address",
        "Check the address: Sorry, this shop does not ship to United States of America.",
        {"country": ["Sorry, this shop does not ship to United States of America."]},
    ),
)
VALIDATION = OpenApiExample(
    "validation_error",
    _error(
        "validation_error",
        "quantity: Enter a whole number from 1 to 50.",
        {"quantity": ["Enter a whole number from 1 to 50."]},
    ),
)
CART_EXAMPLE = {
    "token": "5b0c7a8e-2f43-4e55-9d2b-8a1f0c3d4e5f",
    "currency": "EUR",
    "prices_include_tax": True,
    "email": "ada@example.com",
    "shipping_address": {
        "name": "Ada Lovelace",
        "line1": "1 Rue de la Paix",
        "city": "Paris",
        "postal_code": "75002",
        "country": "FR",
    },
    "shipping_method": {"id": 3, "name": "Standard", "price": "4.90", "delivery_estimate": "2-4 days", "zone": "EU"},
    "payment_method": "bank_transfer",
    "lines": [
        {
            "id": 7,
            "variant_id": 501,
            "sku": "MUG-RED",
            "product_name": "Mug",
            "product_slug": "mug",
            "options": {"colour": "red"},
            "quantity": 2,
            "unit_price": "12.00",
            "current_price": "12.00",
            "available": 14,
            "amounts": {"total": "21.60", "tax": "3.60", "net": "18.00"},
            "discount": "2.40",
            "problems": [],
        }
    ],
    "item_count": 2,
    "has_problems": False,
    "tax_rate": "0.2000",
    "totals": {"subtotal": "24.00", "discount": "2.40", "shipping": "4.90", "tax": "4.42", "total": "26.50"},
    "hold_expires_at": "2026-12-01T12:10:00Z",
    "voucher_code": "SAVE10",
    "voucher_problem": None,
}
ORDER_EXAMPLE = {
    "number": 1042,
    "public_id": "1f0e7a52-8f4d-4e0a-9c1b-3d2e6f7a8b9c",
    "email": "ada@example.com",
    "status": "unfulfilled",
    "payment_status": "unpaid",
    "payment_method": "bank_transfer",
    "currency": "EUR",
    "total": "28.90",
    "created_at": "2026-12-01T12:03:00Z",
    "shipping_address": CART_EXAMPLE["shipping_address"],
    "shipping_method_name": "Standard",
    "delivery_estimate": "2-4 days",
    "prices_include_tax": True,
    "subtotal": "24.00",
    "shipping_price": "4.90",
    "tax_total": "4.82",
    "net_total": "24.08",
    "voucher_code": "",
    "discount_total": "0.00",
    "shipping_discount": "0.00",
    "lines": [
        {
            "product_name": "Mug",
            "sku": "MUG-RED",
            "options": {"colour": "red"},
            "quantity": 2,
            "quantity_fulfilled": 0,
            "unit_price": "12.00",
            "tax_rate": "0.2000",
            "total": "24.00",
            "tax": "4.00",
            "net": "20.00",
            "discount": "0.00",
        }
    ],
}
CART_RESPONSES = {
    200: OpenApiResponse(s.CartSerializer, examples=[OpenApiExample("cart", CART_EXAMPLE)]),
    404: OpenApiResponse(description="No such cart in this shop (error shape)"),
}
