"""Category edits in the Django admin go through the catalog services: the materialised path of
the category and its whole subtree follows a move, and a move under its own subtree is refused."""

import pytest

from apps.catalog.models import Category
from tests.catalog.admin_helpers import form_data
from tests.catalog.factories import make_category
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def reload(category):
    return Category.objects.for_tenant(category.tenant_id).get(pk=category.pk)


def test_moving_a_category_in_the_admin_rewrites_its_subtree_paths(staff_client, tenant):
    clothing = make_category(tenant, "Clothing")
    outdoor = make_category(tenant, "Outdoor")
    shoes = make_category(tenant, "Shoes", parent=clothing)
    boots = make_category(tenant, "Boots", parent=shoes)
    url = f"/admin/catalog/category/{shoes.pk}/change/"
    data = form_data(staff_client.get(url))
    data["parent"] = str(outdoor.pk)

    response = staff_client.post(url, data)

    assert response.status_code == 302
    shoes, boots = reload(shoes), reload(boots)
    assert shoes.path.startswith(outdoor.path) and shoes.depth == 1
    assert boots.path.startswith(shoes.path) and boots.depth == 2
    descendants = Category.objects.for_tenant(tenant).filter(path__startswith=reload(outdoor).path)
    assert {c.name for c in descendants} == {"Outdoor", "Shoes", "Boots"}


def test_a_category_cannot_move_under_its_own_descendant(staff_client, tenant):
    clothing = make_category(tenant, "Clothing")
    shoes = make_category(tenant, "Shoes", parent=clothing)
    url = f"/admin/catalog/category/{clothing.pk}/change/"
    data = form_data(staff_client.get(url))
    data["parent"] = str(shoes.pk)

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "cannot move under itself" in response.content.decode()
    assert reload(clothing).parent_id is None and reload(clothing).depth == 0


def test_adding_a_category_in_the_admin_sets_its_path(staff_client, tenant):
    clothing = make_category(tenant, "Clothing")
    response = staff_client.post(
        "/admin/catalog/category/add/",
        {"tenant": str(tenant.pk), "name": "Scarves", "slug": "scarves", "parent": str(clothing.pk), "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    scarves = Category.objects.for_tenant(tenant).get(slug="scarves")
    assert scarves.path.startswith(clothing.path) and len(scarves.path) > len(clothing.path)
    assert scarves.depth == 1
