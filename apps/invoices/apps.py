from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "apps.invoices"
    label = "invoices"
    verbose_name = "Invoices"

    def ready(self) -> None:
        """Register the tasks and plug into orders' hooks (orders never imports invoices)."""
        from apps.invoices import integration, tasks  # noqa: F401

        integration.register_all()
