"""Issue 13: each shop's storefront theme (brand and accent colours, tagline) from its settings,
safely: colours are #rrggbb with contrast for white text, served as a stylesheet (no inline
style), and a change shows on the next request of a cached page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.tenants import services as tenant_services
from apps.tenants.validation import contrast_with_white, validate_theme_colour
from tests.catalog.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["red", "#12345", "#1f4fd1; } body { display:none", "url(x)"])
def test_what_is_not_a_colour_is_refused(bad):
    with pytest.raises(ValidationError, match="not a colour"):
        validate_theme_colour(bad)


def test_colours_are_checked_for_form_and_contrast():
    assert validate_theme_colour(" #1F4FD1 ") == "#1f4fd1"
    assert validate_theme_colour("#036") == "#003366"
    assert validate_theme_colour("") == ""
    with pytest.raises(ValidationError, match="too light"):
        validate_theme_colour("#ffff00")
    assert round(contrast_with_white("#000000")) == 21


def test_settings_page_saves_the_theme_and_the_storefront_uses_it(
    client, tenant, make_member, django_capture_on_commit_callbacks
):
    owner = make_member(tenant, "owner")
    make_product(tenant, "Oak Table")
    home = reverse("storefront:home", args=[tenant.slug])
    assert "theme.css" not in client.get(home).content.decode()  # cached now, default theme
    staff = client.__class__()
    staff.force_login(owner)
    settings_url = reverse("tenant-console:settings", kwargs={"tenant_slug": tenant.slug})
    data = {"name": tenant.name, "currency": "EUR", "time_zone": "UTC", "tagline": "Furniture that lasts"}
    response = staff.post(settings_url, {**data, "brand_colour": "#ffee00", "accent_colour": ""})
    assert response.status_code == 400 and "too light" in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.brand_colour == "" and tenant.tagline == ""  # nothing half-saved
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is bumped after commit
        response = staff.post(settings_url, {**data, "brand_colour": "#7a1f5c", "accent_colour": "#1d4d3a"})
    assert response.status_code == 302
    html = client.get(home).content.decode()  # the cached page was made stale by the change
    assert "Furniture that lasts" in html
    css_link = reverse("storefront:theme", args=[tenant.slug])
    assert f'href="{css_link}?v=' in html
    css = client.get(css_link)
    assert css["Content-Type"].startswith("text/css")
    assert css.content.decode() == (
        ":root { --color-primary: #7a1f5c; --color-primary-dark: #62194a; --color-accent: #1d4d3a; }\n"
    )


def test_theme_css_leaves_out_values_written_around_the_services(client, tenant):
    type(tenant).objects.filter(pk=tenant.pk).update(brand_colour="red;}", accent_colour="#1d4d3a")
    css = client.get(reverse("storefront:theme", args=[tenant.slug])).content.decode()
    assert css == ":root { --color-accent: #1d4d3a; }\n"


def test_update_tenant_service_validates_theme(tenant, make_member):
    owner = make_member(tenant, "owner")
    from apps.core.errors import ApplicationError

    with pytest.raises((ApplicationError, ValidationError)):
        tenant_services.update_tenant(tenant=tenant, by=owner, tagline="x" * 200)
    updated = tenant_services.update_tenant(tenant=tenant, by=owner, tagline="  Hello   world ")
    assert updated.tagline == "Hello world"
