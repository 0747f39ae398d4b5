"""The orders API, mounted at ``/api/v1/t/<tenant_slug>/``."""

from django.urls import path

from apps.orders.api import aftersales, staff_views, views
from apps.orders.api.voucher_views import CartVoucherView

app_name = "orders-api"

urlpatterns = [
    path("carts/", views.CartCreateView.as_view(), name="cart-create"),
    path("carts/<uuid:token>/", views.CartDetailView.as_view(), name="cart-detail"),
    path("carts/<uuid:token>/lines/", views.CartLinesView.as_view(), name="cart-lines"),
    path("carts/<uuid:token>/lines/<int:line_id>/", views.CartLineDetailView.as_view(), name="cart-line-detail"),
    path("carts/<uuid:token>/accept-prices/", views.CartAcceptPricesView.as_view(), name="cart-accept-prices"),
    path("carts/<uuid:token>/voucher/", CartVoucherView.as_view(), name="cart-voucher"),
    path("carts/<uuid:token>/checkout/", views.CheckoutView.as_view(), name="cart-checkout"),
    path("carts/<uuid:token>/shipping-methods/", views.ShippingMethodsView.as_view(), name="cart-shipping-methods"),
    path("carts/<uuid:token>/payment-methods/", views.PaymentMethodsView.as_view(), name="cart-payment-methods"),
    path("carts/<uuid:token>/hold/", views.HoldView.as_view(), name="cart-hold"),
    path("carts/<uuid:token>/order/", views.PlaceOrderView.as_view(), name="cart-place-order"),
    path("orders/mine/", views.MyOrdersView.as_view(), name="my-orders"),
    path("orders/mine/<int:number>/", views.MyOrderDetailView.as_view(), name="my-order-detail"),
    path("orders/", views.StaffOrderListView.as_view(), name="order-list"),
    path("orders/exports/", staff_views.ExportCreateView.as_view(), name="export-create"),
    path("orders/exports/<int:job_id>/", staff_views.ExportDetailView.as_view(), name="export-detail"),
    path("orders/exports/<int:job_id>/download/", staff_views.ExportDownloadView.as_view(), name="export-download"),
    path("orders/<int:number>/", views.StaffOrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:number>/fulfil/", aftersales.FulfilView.as_view(), name="order-fulfil"),
    path("orders/<int:number>/cancel/", aftersales.CancelView.as_view(), name="order-cancel"),
    path("orders/<int:number>/refund/", aftersales.RefundView.as_view(), name="order-refund"),
    path("orders/<int:number>/return/", aftersales.ReturnView.as_view(), name="order-return"),
    path("orders/<int:number>/notes/", aftersales.NotesView.as_view(), name="order-notes"),
    path("customers/", staff_views.CustomerListView.as_view(), name="customer-list"),
    path("customers/<str:email>/", staff_views.CustomerDetailView.as_view(), name="customer-detail"),
]
