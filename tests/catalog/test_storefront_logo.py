"""Issue 13: a shop's logo, uploaded in its settings with the project's image checks (size,
decompression bombs, formats; SVG refused), shown in the storefront header with the shop's name as
alt text and a fixed box, the name as text without one; cached pages follow the change."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.tenants import services as tenant_services
from apps.tenants.models import AuditEntry

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


def png(size=(200, 80), name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#7a1f5c").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def staff(client, tenant, make_member):
    owner = make_member(tenant, "owner")
    staff = client.__class__()
    staff.force_login(owner)
    staff.user = owner
    return staff


def logo_url(tenant):
    return reverse("tenant-console:logo", kwargs={"tenant_slug": tenant.slug})


def test_a_logo_replaces_the_name_in_the_header_and_cached_pages_follow(
    client, staff, tenant, django_capture_on_commit_callbacks
):
    home = reverse("storefront:home", args=[tenant.slug])
    first = client.get(home).content.decode()  # cached now
    assert '<img class="shop-logo"' not in first and f">{tenant.name}</a>" in first
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(logo_url(tenant), {"logo": png()})
    assert response.status_code == 302
    tenant.refresh_from_db()
    assert (tenant.logo_width, tenant.logo_height) == (200, 80)
    assert tenant.logo.name.startswith(f"tenants/{tenant.pk}/logo/") and tenant.logo.name.endswith(".png")
    html = client.get(home).content.decode()
    src = reverse("storefront:media", args=[tenant.slug, tenant.logo.name])
    assert f'<img class="shop-logo" src="{src}" alt="{tenant.name}" width="100" height="40">' in html
    image = client.get(src)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert AuditEntry.objects.filter(tenant=tenant, action="tenant.logo_set").exists()

    old = tenant.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(logo_url(tenant), {"remove": "1"})
    tenant.refresh_from_db()
    assert not tenant.logo and not default_storage.exists(old)
    html = client.get(home).content.decode()
    assert '<img class="shop-logo"' not in html and f">{tenant.name}</a>" in html


@pytest.mark.parametrize(
    "upload, words",
    [
        pytest.param(SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml"), "not SVG", id="svg"),
        pytest.param(
            SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"), "not an image", id="junk"
        ),
        pytest.param(png((2100, 2000)), "too many pixels", id="too-many-pixels"),
        pytest.param(None, "Required", id="missing"),
    ],
)
def test_what_is_not_a_logo_is_refused_and_changes_nothing(staff, tenant, upload, words):
    data = {"logo": upload} if upload is not None else {}
    response = staff.post(logo_url(tenant), data, follow=True)
    assert words in response.content.decode()
    tenant.refresh_from_db()
    assert not tenant.logo and tenant.logo_width == 0


def test_a_logo_over_two_megabytes_is_refused(tenant, make_member):
    owner = make_member(tenant, "owner")
    big = SimpleUploadedFile("logo.png", b"\0" * (tenant_services.LOGO_MAX_BYTES + 1), content_type="image/png")
    with pytest.raises(Exception, match="larger than 2 MB") as caught:
        tenant_services.set_tenant_logo(tenant=tenant, by=owner, upload=big)
    assert caught.value.status == 413


def test_a_bomb_is_refused_before_decoding(tenant, make_member, settings):
    owner = make_member(tenant, "owner")
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # 81 Mpx in a few kB
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(Exception, match="too many pixels"):
        tenant_services.set_tenant_logo(tenant=tenant, by=owner, upload=bomb)


def test_editors_may_not_change_the_logo(client, tenant, make_member):
    editor = make_member(tenant, "editor")
    client.force_login(editor)
    assert client.post(logo_url(tenant), {"logo": png()}).status_code == 403
    tenant.refresh_from_db()
    assert not tenant.logo


def test_another_shops_logo_is_not_served_under_this_shop(client, tenant, make_member):
    from tests.factories import TenantFactory

    other = TenantFactory()
    owner = make_member(other, "owner")
    other = tenant_services.set_tenant_logo(tenant=other, by=owner, upload=png())
    assert client.get(reverse("storefront:media", args=[tenant.slug, other.logo.name])).status_code == 404
