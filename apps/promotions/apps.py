from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "apps.promotions"
    label = "promotions"
    verbose_name = "Promotions"

    def ready(self) -> None:
        """Register the beat task, and the sale prices into the catalog's storefront price hook."""
        from apps.catalog.price_hooks import register_sale_percentages
        from apps.promotions import tasks  # noqa: F401
        from apps.promotions.sales import sale_percentages_for_products

        register_sale_percentages(sale_percentages_for_products)
