"""Prices must be plain decimals and a compare-at price must be a real discount (above the price)."""

from decimal import Decimal

import pytest

from apps.catalog import importer, services
from apps.catalog.models import Variant
from apps.core.errors import ApplicationError
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw", ["1e3", "1E+02", "2.5e-1", "NaN", "nan", "Infinity", "-Infinity", "inf", "0x10", "1_000"]
)
def test_parse_price_refuses_scientific_and_special_values(raw):
    errors: dict = {}
    assert services.parse_price(raw, "price", errors) is None
    assert errors == {"price": ["Enter a number, e.g. 19.99."]}


def test_parse_price_refuses_a_decimal_in_exponent_form():
    errors: dict = {}
    assert services.parse_price(Decimal("1E+3"), "price", errors) is None
    assert errors == {"price": ["Enter a number, e.g. 19.99."]}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("19.99", "19.99"), (" 7 ", "7.00"), ("0.5", "0.50"), (".5", "0.50"), ("3.", "3.00"), (12, "12.00"),
     (Decimal("4.10"), "4.10"), ("+2", "2.00")],
)  # fmt: skip
def test_parse_price_accepts_plain_decimals(raw, expected):
    errors: dict = {}
    assert services.parse_price(raw, "price", errors) == Decimal(expected)
    assert errors == {}


@pytest.mark.parametrize(
    ("raw", "message"), [("-1", "Must be zero or more."), ("1.234", "At most two decimal places.")]
)
def test_parse_price_keeps_its_other_messages(raw, message):
    errors: dict = {}
    assert services.parse_price(raw, "price", errors) is None
    assert errors == {"price": [message]}


def test_update_variant_refuses_exponent_price_and_changes_nothing(tenant):
    variant = make_product(tenant, variants=[{"sku": "EXP-1", "price": "5"}]).variants.get()
    with pytest.raises(ApplicationError) as exc:
        services.update_variant(tenant=tenant, variant=variant, data={"price": "1e3"})
    assert "price" in exc.value.details
    variant.refresh_from_db()
    assert variant.price == Decimal("5.00")


def test_csv_import_reports_exponent_price_per_row(tenant):
    result = importer.import_rows(tenant=tenant, data=b"sku,name,price\nOK-1,Fine,1.00\nEXP-1,Exp,1e3\n", mode="skip")
    assert result.created == 1
    assert [(e.row, e.column) for e in result.errors] == [(3, "price")]
    assert not Variant.objects.for_tenant(tenant).filter(sku="EXP-1").exists()
