"""Issue 13, item 10: "Create missing categories". A row's category path (``Home > Lamps > Desk``)
that does not exist is created through the category service (materialised path, depth) when the
option is on; the preview counts them; without the option the row fails as before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog import importer
from apps.catalog.csv_dialect import ImportOptions
from apps.catalog.models import Category, Product
from apps.catalog.validation import CATEGORY_DEPTH_MESSAGE, MAX_CATEGORY_DEPTH
from tests.catalog.factories import make_category

pytestmark = pytest.mark.django_db

CSV = (
    "sku,name,price,category\n"
    "D-1,Desk lamp,10.00,Home > Lamps > Desk\n"
    "D-2,Floor lamp,20.00,home > LAMPS > Floor\n"
    "D-3,Chair,30.00,Garden\n"
    "D-4,Bad,-1,Attic > Boxes\n"
    "D-5,Old,5.00,home\n"
)
CREATE = ImportOptions(create_categories=True)


def tree(tenant):
    return {c.name: (c.parent.name if c.parent else None, c.depth) for c in Category.objects.for_tenant(tenant)}


def test_missing_categories_are_created_under_existing_ones(tenant):
    home = make_category(tenant, "Home", slug="home")
    result = importer.import_rows(tenant=tenant, data=CSV.encode(), mode="skip", options=CREATE)
    assert [(e.row, e.column) for e in result.errors] == [(5, "price")]
    assert result.categories_created == 4  # Lamps, Desk, Floor, Garden; not Attic > Boxes (bad row)
    assert tree(tenant) == {
        "Home": (None, 0),
        "Lamps": ("Home", 1),
        "Desk": ("Lamps", 2),
        "Floor": ("Lamps", 2),
        "Garden": (None, 0),
    }
    desk = Category.objects.for_tenant(tenant).get(name="Desk")
    lamps = Category.objects.for_tenant(tenant).get(name="Lamps")
    assert desk.path == f"{home.pk:08d}.{lamps.pk:08d}.{desk.pk:08d}." and desk.slug == "desk"
    by_sku = {p.variants.get().sku: p.category.name for p in Product.objects.for_tenant(tenant)}
    assert by_sku == {"D-1": "Desk", "D-2": "Floor", "D-3": "Garden", "D-5": "Home"}
    again = importer.import_rows(tenant=tenant, data=CSV.encode(), mode="skip", options=CREATE)
    assert again.categories_created == 0 and again.unchanged == 4
    assert Category.objects.for_tenant(tenant).count() == 5


def test_without_the_option_unknown_paths_are_row_errors(tenant):
    make_category(tenant, "Home", slug="home")
    result = importer.import_rows(tenant=tenant, data=CSV.encode(), mode="skip")
    messages = {e.row: e.message for e in result.errors if e.column == "category"}
    assert set(messages) == {2, 3, 4, 5}
    assert messages[2].startswith("Unknown category: Home > Lamps > Desk. Create it first")
    assert Category.objects.for_tenant(tenant).count() == 1 and result.created == 1


def test_atomic_mode_creates_nothing_when_a_row_is_bad(tenant):
    result = importer.import_rows(tenant=tenant, data=CSV.encode(), mode="atomic", options=CREATE)
    assert result.fatal and not Category.objects.for_tenant(tenant).exists()


def test_a_taken_slug_gets_the_parent_prefix_and_paths_are_checked(tenant):
    make_category(tenant, "Desk", slug="desk")  # a root "Desk" elsewhere
    deep = " > ".join(f"L{n}" for n in range(MAX_CATEGORY_DEPTH + 2))  # depths 0..21
    data = f"sku,name,price,category\nA,A,1,Office > Desk\nB,B,1,{deep}\nC,C,1,Home >  > Desk\n".encode()
    result = importer.import_rows(tenant=tenant, data=data, mode="skip", options=CREATE)
    assert {e.row: e.message for e in result.errors} == {
        3: CATEGORY_DEPTH_MESSAGE,
        4: "Empty step in the category path: write names separated by ' > '.",
    }
    office_desk = Category.objects.for_tenant(tenant).get(name="Desk", parent__name="Office")
    assert office_desk.slug == "office-desk" and office_desk.depth == 1


def test_preview_counts_the_categories_to_create(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    make_category(tenant, "Home", slug="home")
    upload = SimpleUploadedFile("c.csv", CSV.encode(), content_type="text/csv")
    response = client.post(
        f"/a/{tenant.slug}/catalog/import/preview", {"file": upload, "mode": "skip", "create_categories": "on"}
    )
    assert "create_categories=1" in response["Location"]
    body = client.get(response["Location"]).content.decode()
    assert '<p class="import-new-categories" data-count="4">4 categories will be created.</p>' in body
    assert '<input type="hidden" name="create_categories" value="1">' in body
    without = client.get(response["Location"].replace("create_categories=1", "")).content.decode()
    assert "import-new-categories" not in without and "Unknown category: Garden." in without
    assert Category.objects.for_tenant(tenant).count() == 1
