"""Issue 13: staff preview a draft product's storefront page from the console: any role that can
see the product there (catalog.view), a visible "Preview — not published" banner, noindex, never
in the shared caches; 404 for everyone else, and the public page stays 404."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.catalog.services import update_product
from tests.catalog.factories import make_product
from tests.factories import TenantFactory

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "analyst", "editor", "admin", "owner"]


@pytest.fixture
def draft(tenant):
    return make_product(
        tenant,
        "Secret Sofa",
        status="draft",
        variants=[
            {"sku": "SOFA-S", "price": "500.00", "stock": 2, "options": {"size": "S"}},
            {"sku": "SOFA-L", "price": "700.00", "stock": 1, "options": {"size": "L"}},
        ],
    )


def preview_url(tenant, product):
    return reverse("catalog-console:product-preview", args=[tenant.slug, product.pk])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_that_sees_the_catalog_previews_a_draft(client, tenant, make_member, draft, role):
    client.force_login(make_member(tenant, role))
    response = client.get(preview_url(tenant, draft), {"opt_size": "L"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview — not published" in html and "Secret Sofa" in html and "€700.00" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow" and response["Cache-Control"] == "private, no-store"
    assert f'hx-get="{preview_url(tenant, draft)}"' in html  # choosing a size stays in the preview


def test_the_console_links_the_preview_of_a_draft(client, tenant, make_member, draft):
    client.force_login(make_member(tenant, "viewer"))
    html = client.get(reverse("catalog-console:product-edit", args=[tenant.slug, draft.pk])).content.decode()
    assert f'href="{preview_url(tenant, draft)}"' in html


def test_anyone_else_gets_404_and_the_public_page_stays_404(client, tenant, make_member, draft):
    public = reverse("storefront:product", args=[tenant.slug, draft.slug])
    assert client.get(public).status_code == 404
    anonymous = client.get(preview_url(tenant, draft))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    other = TenantFactory()
    client.force_login(make_member(other, "owner"))
    assert client.get(preview_url(tenant, draft)).status_code == 404  # not a member here
    theirs = make_product(other, "Their Draft", status="draft")
    assert client.get(preview_url(tenant, theirs)).status_code == 404
    client.force_login(make_member(tenant, "owner"))
    assert client.get(preview_url(tenant, theirs)).status_code == 404  # another shop's product id
    assert client.get(public).status_code == 404  # a member still gets 404 on the public page


def test_the_preview_never_enters_the_shared_caches(
    client, tenant, make_member, draft, django_capture_on_commit_callbacks
):
    client.force_login(make_member(tenant, "editor"))
    cache.clear()
    client.get(preview_url(tenant, draft))
    assert not any("Secret" in str(cache.get(key)) for key in cache.keys("*"))
    with django_capture_on_commit_callbacks(execute=True):
        update_product(tenant=tenant, product=draft, data={"name": "Secret Sofa II"})
    assert "Secret Sofa II" in client.get(preview_url(tenant, draft)).content.decode()
    anonymous = client.__class__()
    assert anonymous.get(reverse("storefront:product", args=[tenant.slug, draft.slug])).status_code == 404
