"""Issue 13, item 10: CSV files as Excel saves them in Europe (semicolons, decimal comma, UTF-8
with a BOM or Windows-1252, CRLF) import; the preview says how the file was read and lets the
person choose otherwise; a decimal comma is read only when unambiguous."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog import importer
from apps.catalog.csv_dialect import ImportOptions
from apps.catalog.models import CatalogJob, Product, Variant
from apps.catalog.validation import parse_price

pytestmark = pytest.mark.django_db

EXCEL_EU = "sku;name;price;compare_at_price;stock\r\nLAMP-1;Lampe Zürich;24,90;1.234,50;3\r\nMUG-1;Tasse;12;;1\r\n"


def prices(tenant):
    return dict(Variant.objects.for_tenant(tenant).values_list("sku", "price"))


@pytest.mark.parametrize(
    "data,described",
    [
        (b"\xef\xbb\xbf" + EXCEL_EU.encode("utf-8"), "Semicolon-separated, UTF-8, decimal comma"),
        (EXCEL_EU.encode("cp1252"), "Semicolon-separated, Windows-1252, decimal comma"),
        (EXCEL_EU.replace(";", "\t").encode("utf-16"), "Tab-separated, UTF-16, decimal comma"),
    ],
    ids=["utf8-bom", "cp1252", "utf16-tab"],
)
def test_excel_eu_files_import(tenant, data, described):
    result = importer.import_rows(tenant=tenant, data=data, mode="skip")
    assert result.errors == [] and result.created == 2
    assert result.dialect.describe() == described
    assert prices(tenant) == {"LAMP-1": Decimal("24.90"), "MUG-1": Decimal("12.00")}
    lamp = Variant.objects.for_tenant(tenant).get(sku="LAMP-1")
    assert lamp.compare_at_price == Decimal("1234.50") and lamp.product.name == "Lampe Zürich"


def test_plain_comma_file_is_still_read_as_before(tenant):
    result = importer.import_rows(tenant=tenant, data=b"sku,name,price\nA-1,Cup,4.50\n", mode="skip")
    assert result.errors == [] and result.dialect.describe() == "Comma-separated, UTF-8, decimal point"


def test_a_file_with_decimal_points_reads_comma_prices_as_errors_not_thousands(tenant):
    """Mixed: a point in one row decides "decimal point"; "1,234" is then an error, never 1234."""
    data = b'sku;name;price\nA;One;4.50\nB;Two;"1,234"\nC;Three;2,5\n'
    result = importer.import_rows(tenant=tenant, data=data, mode="skip")
    assert result.dialect.decimal == "point"
    assert {(e.row, e.column) for e in result.errors} == {(3, "price"), (4, "price")}
    assert prices(tenant) == {"A": Decimal("4.50")}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("24,90", Decimal("24.90")),
        ("1.234,50", Decimal("1234.50")),
        ("1234,5", Decimal("1234.50")),
        ("24", Decimal("24.00")),
        ("24.90", Decimal("24.90")),  # a point and two digits is no thousands group
        ("1,234", None),  # three decimals or a thousand? refused
        ("1.234", None),
        ("12.345.678", None),
        ("1.23,4", None),
    ],
)
def test_decimal_comma_is_read_only_when_unambiguous(text, expected):
    errors: dict = {}
    assert parse_price(text, "price", errors, decimal_comma=True) == expected
    assert bool(errors) == (expected is None)
    if text in ("1,234", "1.234"):
        assert "ambiguous" in errors["price"][0]


def test_the_person_can_override_what_was_detected(tenant):
    data = "sku;name;price\nA-1;Café, blue;3,00\n".encode("cp1252")
    as_comma = importer.import_rows(tenant=tenant, data=data, mode="skip", options=ImportOptions(delimiter="comma"))
    assert as_comma.fatal and "Missing required column 'sku'." in [e.message for e in as_comma.errors]
    as_utf8 = importer.import_rows(tenant=tenant, data=data, mode="skip", options=ImportOptions(encoding="utf-8"))
    assert as_utf8.fatal and "The file is not UTF-8 encoded (byte 0xe9 on line 2)" in as_utf8.errors[0].message
    as_point = importer.import_rows(tenant=tenant, data=data, mode="skip", options=ImportOptions(decimal="point"))
    assert [(e.row, e.column) for e in as_point.errors] == [(2, "price")]
    assert not Product.objects.for_tenant(tenant).exists()
    chosen = ImportOptions(delimiter="semicolon", encoding="cp1252", decimal="comma")
    result = importer.import_rows(tenant=tenant, data=data, mode="skip", options=chosen)
    assert result.errors == [] and prices(tenant) == {"A-1": Decimal("3.00")}


@pytest.fixture
def editor(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    return client


def test_preview_says_how_the_file_is_read_and_the_import_uses_it(editor, tenant, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("excel.csv", EXCEL_EU.encode("cp1252"), content_type="text/csv")
    response = editor.post(f"/a/{tenant.slug}/catalog/import/preview", {"file": upload, "mode": "skip"})
    assert response.status_code == 302
    body = editor.get(response["Location"]).content.decode()
    assert (
        '<strong class="detected-dialect">Semicolon-separated, Windows-1252, decimal comma</strong> (detected)' in body
    )
    assert "2 ready to import" in body and "Lampe Zürich" in body
    # read it differently: decimal point makes "24,90" an error, shown in the preview
    page = response["Location"].split("?")[0]
    body = editor.get(page, {"mode": "skip", "decimal": "point"}).content.decode()
    assert "Semicolon-separated, Windows-1252, decimal point</strong>." in body and "1 with errors" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(page, {"mode": "skip", "delimiter": "auto", "encoding": "auto", "decimal": "auto"})
    job = CatalogJob.objects.for_tenant(tenant).get()
    assert job.status == "done" and job.params["dialect"] == "Semicolon-separated, Windows-1252, decimal comma"
    assert prices(tenant)["LAMP-1"] == Decimal("24.90")
    assert (
        "Read as: Semicolon-separated, Windows-1252, decimal comma."
        in editor.get(response["Location"]).content.decode()
    )


def test_import_without_preview_takes_the_options_too(editor, tenant, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("eu.csv", b"sku;name;price\nA-1;Cup;3,5\n", content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/a/{tenant.slug}/catalog/import/", {"file": upload, "mode": "skip", "decimal": "point"})
    job = CatalogJob.objects.for_tenant(tenant).get()
    assert job.params["options"]["decimal"] == "point" and job.error_count == 1
    assert not Product.objects.for_tenant(tenant).exists()
    report = b"".join(editor.get(f"/a/{tenant.slug}/catalog/jobs/{job.pk}/download").streaming_content).decode()
    assert '2,price,"Enter a number, e.g. 19.99."' in report


def test_a_comma_file_full_of_semicolons_is_still_read_as_commas(tenant):  # the sniffer prefers ","
    """Our own export: ``a=1;b=2`` cells on every row, quoted commas in descriptions."""
    rows = "".join(f'S-{n},Shirt {n},1{n}.00,"size=S;colour=red","a=1;b=2;c=3","Soft, light; cool"\n' for n in range(9))
    data = ("sku,name,price,options,attributes,description\n" + rows).encode()
    result = importer.import_rows(tenant=tenant, data=data, mode="skip")
    assert result.dialect.delimiter == "," and result.errors == [] and result.created == 9
    assert Variant.objects.for_tenant(tenant).get(sku="S-3").options == {"size": "S", "colour": "red"}


def test_preview_of_an_undecodable_file_claims_no_dialect(editor, tenant):
    upload = SimpleUploadedFile("bad.csv", b"sku,name,price\nA,Caf\x81,1\n", content_type="text/csv")
    response = editor.post(f"/a/{tenant.slug}/catalog/import/preview", {"file": upload, "mode": "skip"})
    body = editor.get(response["Location"]).content.decode()
    assert "The file could not be decoded with UTF-8 or Windows-1252." in body and "Read as:" not in body
    assert "not UTF-8 or Windows-1252 encoded (byte 0x81 on line 2)" in body
