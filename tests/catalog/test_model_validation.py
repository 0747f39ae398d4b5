"""Django's model validation (ModelForms, the admin) works on tenant-owned models: the per-tenant
unique constraint is checked within the tenant, while a plain unscoped query still raises."""

import pytest
from django.core.exceptions import ValidationError

from apps.catalog.models import Variant
from apps.tenants.scoping import UnscopedQueryError
from tests.catalog.factories import make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def copy_of(variant, **changes):
    fields = {"tenant_id": variant.tenant_id, "product_id": variant.product_id, "sku": variant.sku,
              "price": variant.price, "currency": variant.currency, "stock": 1}  # fmt: skip
    return Variant(**{**fields, **changes})


def test_full_clean_finds_a_duplicate_sku_in_the_same_tenant(tenant):
    variant = Variant.objects.for_tenant(tenant).get(
        product=make_product(tenant, variants=[{"sku": "DUP-1", "price": "5"}])
    )

    with pytest.raises(ValidationError) as caught:
        copy_of(variant).full_clean()

    assert "already exists" in str(caught.value)


def test_full_clean_allows_the_same_sku_in_another_tenant(tenant):
    variant = Variant.objects.for_tenant(tenant).get(
        product=make_product(tenant, variants=[{"sku": "DUP-1", "price": "5"}])
    )
    other = TenantFactory()
    other_product = make_product(other, variants=[{"sku": "OTHER-1", "price": "5"}])

    copy_of(variant, tenant_id=other.pk, product_id=other_product.pk).full_clean()  # no error


def test_queries_outside_validation_are_still_refused(tenant):
    make_product(tenant)
    with pytest.raises(UnscopedQueryError):
        Variant.objects.filter(sku__startswith="SKU").exists()
