"""The orders app's writes, one module per concern, re-exported here as its public surface.

Other apps (payments) call ``apps.orders.services.<name>`` only.
"""

from apps.orders.services.cart import (
    MergeResult,
    accept_cart_prices,
    add_to_cart,
    attach_cart_to_user,
    create_cart,
    parse_quantity,
    remove_cart_line,
    update_cart_line,
)
from apps.orders.services.checkout import (
    clean_address,
    quotes_for_cart,
    set_checkout_email,
    set_payment_method,
    set_shipping_address,
    set_shipping_method,
    update_checkout,
)
from apps.orders.services.expiry import expire_carts
from apps.orders.services.fulfilment import (
    BulkResult,
    bulk_fulfil_orders,
    clean_shipment,
    fulfil_order,
    fulfil_order_lines,
)
from apps.orders.services.placing import PlacedOrder, place_order, start_payment
from apps.orders.services.refunds import quote_refund, record_refund, refund_order
from apps.orders.services.returns import add_order_note, record_return
from apps.orders.services.settings import (
    create_shipping_method,
    create_shipping_zone,
    delete_shipping_method,
    delete_shipping_zone,
    delete_tax_rate,
    set_tax_rate,
    update_selling_settings,
)
from apps.orders.services.status import acting_user, append_order_event, cancel_order, record_payment_status
from apps.orders.services.stock import hold_cart_stock, release_cart_holds
from apps.orders.services.vouchers import apply_voucher_code, remove_voucher_code

__all__ = [
    "acting_user",
    "BulkResult",
    "MergeResult",
    "PlacedOrder",
    "accept_cart_prices",
    "add_order_note",
    "add_to_cart",
    "append_order_event",
    "apply_voucher_code",
    "attach_cart_to_user",
    "bulk_fulfil_orders",
    "cancel_order",
    "clean_address",
    "clean_shipment",
    "create_cart",
    "create_shipping_method",
    "create_shipping_zone",
    "delete_shipping_method",
    "delete_shipping_zone",
    "delete_tax_rate",
    "expire_carts",
    "fulfil_order",
    "fulfil_order_lines",
    "hold_cart_stock",
    "parse_quantity",
    "place_order",
    "quote_refund",
    "quotes_for_cart",
    "record_payment_status",
    "record_refund",
    "record_return",
    "refund_order",
    "release_cart_holds",
    "remove_cart_line",
    "remove_voucher_code",
    "set_checkout_email",
    "set_payment_method",
    "set_shipping_address",
    "set_shipping_method",
    "set_tax_rate",
    "start_payment",
    "update_cart_line",
    "update_checkout",
    "update_selling_settings",
]
