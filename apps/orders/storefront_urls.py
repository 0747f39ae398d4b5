"""The shopper's pages, mounted at ``/s/<tenant_slug>/`` beside the catalog storefront."""

from django.urls import path

from apps.orders import storefront_views as views

app_name = "orders-storefront"

urlpatterns = [
    path("cart/", views.cart_page, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/lines/<int:line_id>/", views.cart_line, name="cart-line"),
    path("cart/accept-prices/", views.cart_accept_prices, name="cart-accept-prices"),
    path("cart/voucher/", views.cart_voucher, name="cart-voucher"),
    path("checkout/start/", views.checkout_start, name="checkout-start"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/place/", views.checkout_place, name="checkout-place"),
    path("orders/view/<str:token>/", views.guest_order, name="guest-order"),
    path("orders/view/<str:token>/pay/", views.retry_payment, name="retry-payment"),
    path("account/orders/", views.my_orders, name="my-orders"),
]
