import pytest
from django.core.management import call_command

from apps.catalog.demo import load_demo_catalog
from apps.catalog.models import Category, Product, Variant
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


def test_seed_command_and_demo_are_idempotent(tenant, capsys):
    call_command("seed_catalog", tenant=tenant.slug, products=120)
    assert "seeded 120 products" in capsys.readouterr().out
    products = Product.objects.for_tenant(tenant)
    assert products.count() == 120
    assert Category.objects.for_tenant(tenant).filter(depth=2).exists()
    sample = products.exclude(price_min=None).first()
    assert sample.stock_total == sum(v.stock for v in sample.variants.all())
    assert products.filter(search_vector__isnull=True).count() == 0
    assert load_demo_catalog(tenant=tenant, products=150, images=False) == 150  # pictures: test_demo_images
    assert load_demo_catalog(tenant=tenant, products=150, images=False) == 150
    assert (
        Variant.objects.for_tenant(tenant).values("sku").distinct().count()
        == Variant.objects.for_tenant(tenant).count()
    )
    call_command("seed_catalog", tenant=tenant.slug, products=10, reset=True)
    assert products.count() == 10


@pytest.mark.parametrize(
    "url",
    [
        "/admin/catalog/product/",
        "/admin/catalog/product/?q=lamp",
        "/admin/catalog/product/{product}/change/",
        "/admin/catalog/variant/",
        "/admin/catalog/category/",
        "/admin/catalog/catalogjob/",
        "/admin/autocomplete/?app_label=catalog&model_name=product&field_name=category&term=x",
    ],
    ids=["products", "product-search", "product-change", "variants", "categories", "jobs", "autocomplete"],
)
def test_admin_pages(admin_client, tenant, url):
    product = make_product(tenant, "Admin Lamp")
    url = url.format(product=product.pk)
    assert admin_client.get(url).status_code == 200, url
