"""Issue 13, item 9: the variant matrix — options as names and values, one variant per
combination, SKU/price/stock edited in one grid, all rows or none written."""

import pytest

from apps.catalog import variant_matrix
from apps.catalog.models import Variant
from apps.core.errors import ApplicationError
from tests.catalog.factories import make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db


def url(tenant, product):
    return f"/a/{tenant.slug}/catalog/products/{product.pk}/variants/matrix"


@pytest.fixture
def editor(client, tenant, make_member):
    client.force_login(make_member(tenant, "editor"))
    return client


def test_parse_option_defs_rules():
    defs = variant_matrix.parse_option_defs([("Size", "S, M, L"), ("Colour", "red,blue"), ("", "")])
    assert [(d.key, d.values) for d in defs] == [("size", ("S", "M", "L")), ("colour", ("red", "blue"))]


@pytest.mark.parametrize(
    ("pairs", "field"),
    [
        ([("Size", "")], "option_0"),
        ([("", "S, M")], "option_0"),
        ([("Size", "S"), ("size", "M")], "option_1"),
        ([("Size", "S, s")], "option_0"),
        ([("A", ",".join(map(str, range(11)))), ("B", ",".join(map(str, range(10))))], "option_0"),
        ([], "option_0"),
    ],
    ids=["no values", "no name", "same name twice", "same value twice", "over 100 combinations", "none"],
)
def test_bad_option_defs_name_the_option(pairs, field):
    with pytest.raises(ApplicationError) as info:
        variant_matrix.parse_option_defs(pairs)
    assert field in info.value.details, pairs


def test_plan_reuses_the_lone_variant_and_matches_existing_by_options(tenant):
    product = make_product(tenant, "Tee", variants=[{"sku": "TEE", "price": "20.00", "stock": 3}])
    defs = variant_matrix.parse_option_defs([("Size", "S, M"), ("Colour", "red, dark blue")])
    rows = variant_matrix.plan_variant_matrix(product=product, variants=list(product.variants.all()), defs=defs)
    assert [r["label"] for r in rows] == ["S / red", "S / dark blue", "M / red", "M / dark blue"]
    assert rows[0]["variant_id"] == product.variants.get().pk and rows[0]["stock"] == 3
    assert [r["sku"] for r in rows] == ["TEE-S-RED", "TEE-S-DARK-BLUE", "TEE-M-RED", "TEE-M-DARK-BLUE"]
    assert all(r["price"] == product.variants.get().price for r in rows)


def test_generate_then_save_the_grid(editor, tenant):
    product = make_product(tenant, "Tee", variants=[{"sku": "TEE", "price": "20.00", "stock": 3}])
    response = editor.post(
        url(tenant, product),
        {
            "action": "generate",
            "option_0_name": "Size",
            "option_0_values": "S, M",
            "option_1_name": "Colour",
            "option_1_values": "red, blue",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('name="rows-') >= 4 * 6 and "TEE-M-BLUE" in body and "4 combinations" in body
    post = {"action": "save", "rows-TOTAL_FORMS": "4", "rows-INITIAL_FORMS": "0"}
    combos = [("S", "red"), ("S", "blue"), ("M", "red"), ("M", "blue")]
    for i, (size, colour) in enumerate(combos):
        post |= {
            f"rows-{i}-options": f"size={size}; colour={colour}",
            f"rows-{i}-sku": f"TEE-{size}-{colour.upper()}",
            f"rows-{i}-price": "21,50" if size == "M" else "20.00",
            f"rows-{i}-stock": str(i),
        }
        if i != 3:
            post[f"rows-{i}-include"] = "on"
    post["rows-0-variant_id"] = str(product.variants.get().pk)
    response = editor.post(url(tenant, product), post)
    assert response.status_code == 302
    variants = {v.sku: v for v in Variant.objects.for_tenant(tenant).filter(product=product)}
    assert set(variants) == {"TEE-S-RED", "TEE-S-BLUE", "TEE-M-RED"}  # the unchecked row is left out
    assert variants["TEE-S-RED"].options == {"size": "S", "colour": "red"}
    assert variants["TEE-M-RED"].price == pytest.approx(21.5) and variants["TEE-S-BLUE"].stock == 1
    product.refresh_from_db()
    assert product.stock_total == 0 + 1 + 2
    # the page now prefills the options from the variants
    body = editor.get(url(tenant, product)).content.decode()
    assert 'value="Size"' in body and 'value="S, M"' in body and 'value="red, blue"' in body


def test_one_bad_row_saves_nothing_and_is_shown_beside_its_field(editor, tenant):
    product = make_product(tenant, "Tee", variants=[{"sku": "TEE", "price": "20.00", "stock": 3}])
    make_product(tenant, "Other", variants=[{"sku": "TAKEN", "price": "1.00", "stock": 1}])
    post = {"action": "save", "rows-TOTAL_FORMS": "3", "rows-INITIAL_FORMS": "0"}
    for i, (size, sku, price) in enumerate([("S", "TEE-S", "5"), ("M", "TAKEN", "5"), ("L", "TEE-L", "-1")]):
        post |= {
            f"rows-{i}-options": f"size={size}",
            f"rows-{i}-sku": sku,
            f"rows-{i}-price": price,
            f"rows-{i}-stock": "1",
            f"rows-{i}-include": "on",
        }
    response = editor.post(url(tenant, product), post)
    body = response.content.decode()
    assert response.status_code == 400
    assert "2 rows need fixing; nothing was saved." in body
    assert "SKU TAKEN is already used by another variant." in body and "Must be zero or more." in body
    assert set(Variant.objects.for_tenant(tenant).filter(product=product).values_list("sku", flat=True)) == {"TEE"}
    post["rows-1-sku"] = "TEE-S"
    body = editor.post(url(tenant, product), post).content.decode()
    assert "SKU TEE-S is used by two rows." in body


def test_roles_and_tenants(client, tenant, make_member):
    product = make_product(tenant, "Tee")
    client.force_login(make_member(tenant, "viewer"))
    assert client.get(url(tenant, product)).status_code == 403
    client.force_login(make_member(TenantFactory(), "owner"))
    assert client.get(url(tenant, product)).status_code == 404
    other = TenantFactory()
    with pytest.raises(ApplicationError):
        variant_matrix.save_variant_matrix(tenant=other, product=product, rows=[])
