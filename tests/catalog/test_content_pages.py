"""Issue 13: a shop's content pages (about, shipping and returns, privacy, terms), written by its
staff in the console, shown on the storefront once published and linked from its footer."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.catalog import content_pages
from apps.catalog.models import ContentPage
from apps.core.errors import Invalid
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


def console(tenant, name, *args):
    return reverse(f"catalog-console:{name}", args=[tenant.slug, *args])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_save_validates_and_changes_nothing_on_error(tenant):
    with pytest.raises(Invalid) as info:
        content_pages.save_content_page(tenant=tenant, kind="terms", title="", body="", published=True)
    assert set(info.value.details) == {"title", "body"}
    assert not ContentPage.objects.for_tenant(tenant).exists()
    with pytest.raises(Exception, match="No such page"):
        content_pages.save_content_page(tenant=tenant, kind="nope", title="x", body="y", published=False)


def test_editor_writes_a_page_and_the_storefront_shows_it(
    client, tenant, make_member, django_capture_on_commit_callbacks
):
    make_product(tenant, "Oak Table")
    editor = signed_in(make_member(tenant, "editor"))
    home = reverse("storefront:home", args=[tenant.slug])
    page_url = reverse("storefront:page", args=[tenant.slug, "shipping-returns"])
    assert "Shipping and returns" not in client.get(home).content.decode()  # cached, no page yet
    assert client.get(page_url).status_code == 404
    assert editor.get(console(tenant, "pages")).status_code == 200
    form_url = console(tenant, "page-edit", "shipping-returns")
    response = editor.post(form_url, {"title": "Shipping and returns", "body": "", "published": "on"})
    assert response.status_code == 400 and "Write something before publishing" in response.content.decode()
    body = "We ship in 2 days.\n\nReturns within <b>30</b> days."
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(form_url, {"title": "Shipping and returns", "body": body, "published": "on"})
    assert response.status_code == 302
    footer = client.get(home).content.decode()  # the cached home page was made stale
    assert f'href="{page_url}">Shipping and returns</a>' in footer
    html = client.get(page_url).content.decode()
    assert "<p>We ship in 2 days.</p>" in html and "&lt;b&gt;30&lt;/b&gt;" in html  # plain text, escaped
    # unpublished: gone from the footer and 404
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(form_url, {"title": "Shipping and returns", "body": body})
    assert client.get(page_url).status_code == 404
    assert "Shipping and returns" not in client.get(home).content.decode()


def test_viewers_cannot_edit_and_other_shops_cannot_see(tenant, make_member):
    from tests.factories import TenantFactory

    viewer = signed_in(make_member(tenant, "viewer"))
    assert viewer.get(console(tenant, "pages")).status_code == 403
    assert viewer.post(console(tenant, "page-edit", "about"), {"title": "x", "body": "y"}).status_code == 403
    content_pages.save_content_page(tenant=tenant, kind="about", title="About", body="Us", published=True)
    other = TenantFactory()
    assert Client().get(reverse("storefront:page", args=[other.slug, "about"])).status_code == 404
    assert Client().get(reverse("storefront:page", args=[tenant.slug, "unknown"])).status_code == 404
