from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "apps.orders"
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        # Register the tasks with Celery in every process: services enqueue them by name
        # through the outbox, which refuses unknown task names.
        from apps.orders import tasks  # noqa: F401
        from apps.orders.page_fragments import register_orders_fragments

        register_orders_fragments()  # the header's cart count on cached storefront pages

        from apps.orders.exports import list_tenant_export_files
        from apps.tenants.deletion import register_tenant_deletion_hook

        register_tenant_deletion_hook(list_tenant_export_files)  # export files go with the tenant
