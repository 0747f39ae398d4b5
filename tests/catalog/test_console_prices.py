"""Issue 13, item 9: the console takes prices the way the shop's staff type them (a decimal
comma, a currency symbol, the locale's thousands groups) and tells what it could not read."""

import pytest

from apps.catalog.models import Product, Variant
from apps.core.money import parse_money_input
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("24,00", "en", "24.00"),
        ("24.00", "de_DE", "24.00"),
        ("24,00 €", "de_DE", "24.00"),
        ("€24.5", "en", "24.5"),
        ("EUR 12", "en", "12"),
        ("1.234,50", "de_DE", "1234.50"),
        ("1,234.50", "en", "1234.50"),
        ("1\u202f234,50", "fr_FR", "1234.50"),
        ("1 234,50", "fr_FR", "1234.50"),
    ],
)
def test_parse_money_input_reads_the_locale_and_symbols(text, locale, expected):
    assert str(parse_money_input(text, currency="EUR", locale=locale)) == expected


@pytest.mark.parametrize(("text", "locale"), [("abc", "en"), ("", "en"), ("1,234.50", "de_DE"), ("12..0", "en")])
def test_parse_money_input_refuses_what_it_cannot_read(text, locale):
    with pytest.raises(ValueError):
        parse_money_input(text, currency="EUR", locale=locale)


@pytest.fixture
def editor(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    return client


def test_create_product_with_a_decimal_comma_and_symbol(editor, tenant):
    response = editor.post(
        f"/a/{tenant.slug}/catalog/products/new",
        {"name": "Kettle", "sku": "K-1", "price": "24,00 €", "stock": "1", "status": "draft"},
    )
    assert response.status_code == 302
    assert Variant.objects.for_tenant(tenant).get(sku="K-1").price == 24


def test_unreadable_price_is_told_beside_the_field_and_keeps_input(editor, tenant):
    response = editor.post(
        f"/a/{tenant.slug}/catalog/products/new",
        {"name": "Kettle", "sku": "K-1", "price": "24 euros", "stock": "1", "status": "draft"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Write an amount like" in body and 'value="24 euros"' in body
    assert Product.objects.for_tenant(tenant).count() == 0


def test_variant_add_and_edit_accept_decimal_comma(editor, tenant):
    product = make_product(tenant, "Lamp", price="10.00")
    response = editor.post(
        f"/a/{tenant.slug}/catalog/products/{product.pk}/variants/new",
        {"sku": "L-2", "price": "12,50", "compare_at_price": "€15", "stock": "2", "low_stock_threshold": "1"},
    )
    assert response.status_code == 302
    variant = Variant.objects.for_tenant(tenant).get(sku="L-2")
    assert (variant.price, variant.compare_at_price) == (12.5, 15)
    response = editor.post(
        f"/a/{tenant.slug}/catalog/products/{product.pk}/variants/{variant.pk}/",
        {"sku": "L-2", "price": "13,75", "stock": "2", "low_stock_threshold": "1", "compare_at_price": ""},
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.price == pytest.approx(13.75)
