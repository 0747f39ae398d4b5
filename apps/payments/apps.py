from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "apps.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        """Point Stripe at ``STRIPE_API_BASE`` and register the payment methods into orders' hooks."""
        from apps.payments import methods
        from apps.payments.providers.stripe import configure_stripe

        configure_stripe()
        methods.register_all()
