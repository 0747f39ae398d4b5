"""The public storefront, mounted at ``/s/<tenant_slug>/``."""

from django.urls import path

from apps.catalog import content_views
from apps.catalog import storefront_views as views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search, name="search"),
    path("suggest", views.suggest, name="suggest"),
    path("c/<slug:category_slug>/", views.category, name="category"),
    path("p/<slug:product_slug>/", views.product, name="product"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("theme.css", views.theme, name="theme"),
    path("pages/<slug:kind>/", content_views.storefront_page, name="page"),
    path("media/<path:path>", views.media, name="media"),
]
