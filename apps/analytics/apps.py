from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "apps.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from apps.analytics.purchases import on_order_cancelled, on_order_placed, on_order_refunded
        from apps.analytics.tenant_deletion import purge_tenant_analytics
        from apps.core.fast_paths import register_fast_path
        from apps.orders.hooks import (
            register_order_cancelled_receiver,
            register_order_placed_receiver,
            register_order_refunded_receiver,
        )
        from apps.tenants.deletion import register_tenant_deletion_hook

        register_tenant_deletion_hook(purge_tenant_analytics)
        # Server-side purchase events: orders calls this inside the placing transaction (outbox).
        register_order_placed_receiver(on_order_placed)
        register_order_refunded_receiver(on_order_refunded)
        register_order_cancelled_receiver(on_order_cancelled)
        # The beacon's POST skips the session/CSRF/auth/messages middleware (apps/core/fast_paths.py).
        register_fast_path("analytics-api:events", methods=("POST",), path_prefix="/api/v1/t/")
