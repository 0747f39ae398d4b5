"""Issue 13: staff define the storefront's header and footer menus (categories, content pages,
paths on the same shop; ordered; header dropdowns one level deep) and the storefront renders them;
no menu is the default (the home page's category pills, the footer's pages); cached pages follow a
change."""

import pytest
from django.urls import reverse

from apps.catalog import menus
from apps.catalog.content_pages import save_content_page
from apps.catalog.models import MenuItem
from apps.catalog.services import create_category
from apps.core.errors import Invalid, NotFound
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def tables(tenant):
    make_product(tenant, "Oak Table")
    return create_category(tenant=tenant, name="Tables")


def menus_url(tenant):
    return reverse("catalog-console:menus", args=[tenant.slug])


@pytest.fixture
def editor(client, tenant, make_member):
    staff = client.__class__()
    staff.force_login(make_member(tenant, "editor"))
    return staff


def test_without_a_menu_the_shop_looks_as_before(client, tenant, tables):
    html = client.get(reverse("storefront:home", args=[tenant.slug])).content.decode()
    assert 'class="category-nav"' in html and "Tables</a>" in html
    assert "shop-menu" not in html


def test_a_header_menu_with_a_dropdown_replaces_the_pills_and_cached_pages_follow(
    client, editor, tenant, tables, django_capture_on_commit_callbacks
):
    home = reverse("storefront:home", args=[tenant.slug])
    client.get(home)  # cached with the default menu
    save_content_page(tenant=tenant, kind="about", title="About us", body="We make tables.", published=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            menus_url(tenant), {"menu": "header", "label": "Furniture", "kind": "category", "category": tables.pk}
        )
        assert response.status_code == 302
        top = MenuItem.objects.for_tenant(tenant).get(label="Furniture")
        editor.post(
            menus_url(tenant),
            {"menu": "header", "label": "Oak", "kind": "path", "path": "search?q=oak", "parent": top.pk},
        )
        editor.post(menus_url(tenant), {"menu": "header", "label": "About", "kind": "page", "page_kind": "about"})
        editor.post(menus_url(tenant), {"menu": "footer", "label": "Our story", "kind": "page", "page_kind": "about"})
    html = client.get(home).content.decode()
    assert 'class="category-nav"' not in html
    base = f"/s/{tenant.slug}/"
    assert '<details class="menu-dropdown"><summary>Furniture</summary>' in html
    assert f'<a href="{base}c/tables/">All Furniture</a>' in html
    assert f'<a href="{base}search?q=oak">Oak</a>' in html
    assert html.index(">Furniture<") < html.index(f'<a href="{base}pages/about/">About</a>')
    footer = html[html.index("<footer") :]
    assert f'<a href="{base}pages/about/">Our story</a>' in footer and "About us</a>" not in footer

    about = MenuItem.objects.for_tenant(tenant).get(label="About")
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(reverse("catalog-console:menu-item-move", args=[tenant.slug, about.pk]), {"direction": "up"})
    html = client.get(home).content.decode()
    assert html.index(">About<") < html.index(">Furniture<")
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(reverse("catalog-console:menu-item-delete", args=[tenant.slug, top.pk]))
    html = client.get(home).content.decode()
    assert "Furniture" not in html and "Oak</a>" not in html  # the dropdown went with it


def test_a_link_to_an_unpublished_page_is_left_out(tenant):
    menus.add_menu_item(tenant=tenant, menu="header", label="Terms", kind="page", page_kind="terms")
    assert menus.get_storefront_menus(tenant=tenant) == {"header": [], "footer": []}


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("c/tables/", "c/tables/"),
        ("/s/{slug}/c/tables/", "c/tables/"),
        ("http://testserver/s/{slug}/search?q=oak", "search?q=oak"),
        ("", ""),
    ],
)
def test_paths_on_the_shop_are_kept(tenant, typed, stored):
    assert menus.clean_shop_path(tenant=tenant, value=typed.format(slug=tenant.slug)) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "https://evil.example/",
        "//evil.example/x",
        "javascript:alert(1)",
        "/a/{slug}/catalog/",
        "/s/other-shop/",
        "c/../../a/",
        "nowhere/at/all",
        "c/x y/",
    ],
)
def test_other_sites_and_other_pages_are_refused(tenant, typed):
    with pytest.raises(Invalid):
        menus.clean_shop_path(tenant=tenant, value=typed.format(slug=tenant.slug))


def test_dropdowns_are_one_level_deep_and_header_only(tenant, tables):
    top = menus.add_menu_item(tenant=tenant, menu="header", label="Shop", kind="category", category_id=tables.pk)
    child = menus.add_menu_item(
        tenant=tenant, menu="header", label="T", kind="category", category_id=tables.pk, parent_id=top.pk
    )
    footer = menus.add_menu_item(tenant=tenant, menu="footer", label="F", kind="category", category_id=tables.pk)
    for menu, parent in [("header", child.pk), ("footer", footer.pk), ("footer", top.pk)]:
        with pytest.raises(Invalid) as caught:
            menus.add_menu_item(
                tenant=tenant, menu=menu, label="X", kind="category", category_id=tables.pk, parent_id=parent
            )
        assert "parent" in caught.value.details
    assert MenuItem.objects.for_tenant(tenant).count() == 3


def test_a_refused_link_keeps_what_was_typed_and_changes_nothing(editor, tenant):
    response = editor.post(
        menus_url(tenant), {"menu": "header", "label": "Evil", "kind": "path", "path": "https://evil.example/"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "this shop only" in html and 'value="Evil"' in html
    assert not MenuItem.objects.for_tenant(tenant).exists()


def test_another_shops_category_and_link_ids_are_not_found(tenant, make_member):
    from tests.factories import TenantFactory

    other = TenantFactory()
    theirs = create_category(tenant=other, name="Theirs")
    with pytest.raises(Invalid):
        menus.add_menu_item(tenant=tenant, menu="header", label="X", kind="category", category_id=theirs.pk)
    item = menus.add_menu_item(tenant=other, menu="header", label="Y", kind="category", category_id=theirs.pk)
    with pytest.raises(NotFound):
        menus.delete_menu_item(tenant=tenant, item_id=item.pk)
    with pytest.raises(NotFound):
        menus.move_menu_item(tenant=tenant, item_id=item.pk, offset=1)


def test_viewers_cannot_edit_menus(client, tenant, make_member):
    client.force_login(make_member(tenant, "viewer"))
    assert client.get(menus_url(tenant)).status_code == 403
