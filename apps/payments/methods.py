"""Registration of payments into orders' hooks (called once from ``PaymentsConfig.ready``).

- every provider becomes a checkout :class:`~apps.orders.hooks.PaymentMethod`: available when the
  tenant enabled it in the console (Stripe: and stored its keys); ``start`` is
  :func:`apps.payments.services.start_payment`;
- the console order detail gets a "Payments" section (payments table, "Mark paid").
"""

from __future__ import annotations

from functools import partial

from apps.orders import hooks
from apps.payments import selectors, services
from apps.payments.console_views import order_section_context
from apps.payments.providers import list_providers


def _is_available(code: str, tenant) -> bool:
    return selectors.is_provider_enabled(tenant=tenant, provider=code)


def _start(order):
    return services.start_payment(order=order)


def order_payments_section(request, order) -> dict:
    """The console order detail's payments section: the table, and "Mark paid" where it applies."""
    return {"template": "payments/console/_order_payments.html", "context": order_section_context(request, order)}


def register_all() -> None:
    """Register every provider as a payment method, and the order detail section."""
    for provider in list_providers():
        hooks.register_payment_method(
            hooks.PaymentMethod(
                code=provider.code,
                label=provider.label,
                description=provider.description,
                is_available=partial(_is_available, provider.code),
                start=_start,
                holds_stock_until_paid=provider.holds_stock_until_paid,
            )
        )
    hooks.register_order_section(order_payments_section)
    hooks.register_payment_actions(
        hooks.PaymentActions(
            refund=services.refund_payment,
            refundable=services.refundable_amount,
            settle_cancellation=services.settle_cancellation,
        )
    )
