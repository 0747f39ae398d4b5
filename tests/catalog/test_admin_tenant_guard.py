"""The Django admin refuses to link one tenant's catalog rows to another tenant's (real admin forms,
posted by a logged-in superuser through the test client)."""

import pytest

from apps.catalog.models import Category, Product, Variant
from tests.catalog.admin_helpers import form_data
from tests.catalog.factories import make_category, make_product
from tests.factories import TenantFactory, UserFactory

pytestmark = pytest.mark.django_db

CROSS_TENANT = "belongs to another shop"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def other_tenant(db):
    return TenantFactory()


def test_product_category_of_another_tenant_is_refused(staff_client, tenant, other_tenant):
    own = make_category(tenant, "Shoes")
    foreign = make_category(other_tenant, "Foreign hats")
    product = make_product(tenant, "Guarded Lamp", category=own)
    url = f"/admin/catalog/product/{product.pk}/change/"
    data = form_data(staff_client.get(url))
    data["category"] = foreign.pk
    data["name"] = "Renamed Lamp"

    response = staff_client.post(url, data)

    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["adminform"].form.errors
    assert CROSS_TENANT in " ".join(errors["category"])
    assert CROSS_TENANT in response.content.decode()
    product = Product.objects.for_tenant(tenant).get(pk=product.pk)
    assert (product.category_id, product.name) == (own.pk, "Guarded Lamp")


def test_product_own_category_saves_and_tenant_cannot_be_moved(staff_client, tenant, other_tenant):
    first, second = make_category(tenant, "Shoes"), make_category(tenant, "Boots")
    foreign = make_category(other_tenant, "Foreign hats")
    product = make_product(tenant, "Guarded Lamp", category=first)
    url = f"/admin/catalog/product/{product.pk}/change/"
    data = form_data(staff_client.get(url))
    data["category"] = second.pk
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Product.objects.for_tenant(tenant).get(pk=product.pk).category_id == second.pk

    # Moving the product and its category to the other shop in one post: tenant is read-only on
    # change, so the category check runs against the product's own shop and refuses.
    data = form_data(staff_client.get(url))
    data["tenant"] = other_tenant.pk
    data["category"] = foreign.pk
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert CROSS_TENANT in " ".join(response.context["adminform"].form.errors["category"])
    product = Product.objects.all_tenants().get(pk=product.pk)
    assert (product.tenant_id, product.category_id) == (tenant.pk, second.pk)


def test_category_parent_of_another_tenant_is_refused(staff_client, tenant, other_tenant):
    category = make_category(tenant, "Shoes")
    foreign = make_category(other_tenant, "Foreign root")
    url = f"/admin/catalog/category/{category.pk}/change/"
    data = form_data(staff_client.get(url))
    data["parent"] = foreign.pk

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert CROSS_TENANT in " ".join(response.context["adminform"].form.errors["parent"])
    assert Category.objects.for_tenant(tenant).get(pk=category.pk).parent_id is None


def test_variant_product_of_another_tenant_is_refused(staff_client, tenant, other_tenant):
    product = make_product(tenant, "Own Lamp")
    foreign = make_product(other_tenant, "Foreign Lamp")
    variant = product.variants.get()
    url = f"/admin/catalog/variant/{variant.pk}/change/"
    data = form_data(staff_client.get(url))
    data["product"] = foreign.pk

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert CROSS_TENANT in " ".join(response.context["adminform"].form.errors["product"])
    assert Variant.objects.for_tenant(tenant).get(pk=variant.pk).product_id == product.pk
    assert not foreign.variants.filter(pk=variant.pk).exists()


def test_variant_add_for_another_tenants_product_is_refused(staff_client, tenant, other_tenant):
    foreign = make_product(other_tenant, "Foreign Lamp")
    data = {
        "tenant": tenant.pk,
        "product": foreign.pk,
        "sku": "CROSS-1",
        "options": "{}",
        "price": "10.00",
        "currency": "EUR",
        "stock": 1,
        "low_stock_threshold": 5,
        "position": 0,
    }

    response = staff_client.post("/admin/catalog/variant/add/", data)

    assert response.status_code == 200
    assert CROSS_TENANT in " ".join(response.context["adminform"].form.errors["product"])
    assert not Variant.objects.all_tenants().filter(sku="CROSS-1").exists()


def test_inline_variant_added_in_admin_takes_the_products_tenant(staff_client, tenant):
    product = make_product(tenant, "Own Lamp")
    url = f"/admin/catalog/product/{product.pk}/change/"
    data = form_data(staff_client.get(url))
    index = int(data["variants-TOTAL_FORMS"])
    data["variants-TOTAL_FORMS"] = index + 1
    data.update(
        {
            f"variants-{index}-product": product.pk,
            f"variants-{index}-sku": "INLINE-1",
            f"variants-{index}-options": '{"size": "L"}',
            f"variants-{index}-price": "12.00",
            f"variants-{index}-currency": "EUR",
            f"variants-{index}-stock": 3,
            f"variants-{index}-low_stock_threshold": 5,
            f"variants-{index}-position": 1,
        }
    )

    response = staff_client.post(url, data)

    assert response.status_code == 302
    added = Variant.objects.all_tenants().get(sku="INLINE-1")
    assert (added.tenant_id, added.product_id) == (tenant.pk, product.pk)


def test_variant_add_checks_the_sku_per_tenant(staff_client, tenant, other_tenant):
    product = make_product(tenant, "Own Lamp", variants=[{"sku": "TAKEN-1", "price": "5.00", "stock": 1}])
    make_product(other_tenant, "Foreign Lamp", variants=[{"sku": "OTHER-1", "price": "5.00", "stock": 1}])
    data = {
        "tenant": tenant.pk,
        "product": product.pk,
        "sku": "TAKEN-1",
        "options": "{}",
        "price": "10.00",
        "currency": "EUR",
        "stock": 1,
        "low_stock_threshold": 5,
        "position": 1,
    }
    response = staff_client.post("/admin/catalog/variant/add/", data)
    assert response.status_code == 200
    assert "already has a variant with this sku" in " ".join(response.context["adminform"].form.non_field_errors())
    assert product.variants.count() == 1

    data["sku"] = "OTHER-1"  # taken in the other shop only: fine here
    assert staff_client.post("/admin/catalog/variant/add/", data).status_code == 302
    assert Variant.objects.for_tenant(tenant).filter(sku="OTHER-1", product=product).exists()
