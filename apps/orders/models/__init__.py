"""The orders app's rows, one module per concern: carts, selling settings, orders."""

from apps.orders.models.cart import Cart, CartLine, CartStatus, StockHold
from apps.orders.models.export import OrderExportJob, OrderExportKind, OrderExportStatus
from apps.orders.models.fulfilment import Fulfilment, FulfilmentLine, OrderNote, Return, ReturnLine
from apps.orders.models.order import Order, OrderCounter, OrderEvent, OrderLine, OrderStatus, PaymentStatus
from apps.orders.models.settings import SellingSettings, ShippingMethod, ShippingZone, TaxRate

__all__ = [
    "Cart",
    "CartLine",
    "CartStatus",
    "Fulfilment",
    "FulfilmentLine",
    "Order",
    "OrderCounter",
    "OrderEvent",
    "OrderExportJob",
    "OrderExportKind",
    "OrderExportStatus",
    "OrderLine",
    "OrderNote",
    "OrderStatus",
    "PaymentStatus",
    "Return",
    "ReturnLine",
    "SellingSettings",
    "ShippingMethod",
    "ShippingZone",
    "StockHold",
    "TaxRate",
]
