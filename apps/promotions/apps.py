from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "apps.promotions"
    label = "promotions"
    verbose_name = "Promotions"

    def ready(self) -> None:
        """Register the beat task, and the sale prices into the catalog's price hooks."""
        from apps.catalog.price_hooks import register_sale_percentages, register_sale_targets
        from apps.promotions import tasks  # noqa: F401
        from apps.promotions.sales import list_live_sale_targets, sale_percentages_for_products

        register_sale_percentages(sale_percentages_for_products)  # prices shown (cards, product page)
        register_sale_targets(list_live_sale_targets)  # prices stored for sorting and price filters
