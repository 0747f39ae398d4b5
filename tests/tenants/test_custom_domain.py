"""Issue 13, item 7: a shop's own domain. Staff set it (validated, normalised, unique, never the
platform's own host); on that host the storefront is served at the root, the platform's paths stay
the platform's, and other hosts are untouched."""

import re

import pytest
from django.core.exceptions import ValidationError

from apps.tenants.access import forget_domain, tenant_slug_for_host
from apps.tenants.models import Tenant
from apps.tenants.validation import validate_domain
from tests.catalog.factories import make_product
from tests.factories import TenantFactory, UserFactory

pytestmark = pytest.mark.django_db
HOST = "shop.example.com"


@pytest.fixture
def shop(settings, tenant):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST, "other.example.com"]
    tenant.domain = HOST
    tenant.save()
    forget_domain(HOST)
    make_product(tenant, "Brass Lamp", slug="brass-lamp")
    return tenant


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Shop.Example.COM.", "shop.example.com"), ("  a.b.co ", "a.b.co"), ("bücher.example", "xn--bcher-kva.example")],
)
def test_validate_domain_normalises(value, expected):
    assert validate_domain(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "https://shop.example.com",
        "shop.example.com:8443",
        "shop.example.com/p",
        "localhost",
        "10.0.0.1",
        "-a.example.com",
        "nodot",
        "127.0.0.1",
        "testserver",
    ],
)
def test_validate_domain_refuses(value):
    with pytest.raises(ValidationError):
        validate_domain(value)


def test_domain_is_unique_whatever_its_case(tenant):
    tenant.domain = "Shop.Example.com"
    tenant.full_clean()
    tenant.save()
    assert Tenant.objects.get(pk=tenant.pk).domain == HOST
    other = TenantFactory()
    other.domain = "SHOP.example.com."
    with pytest.raises(ValidationError) as info:
        other.full_clean()
    assert "domain" in info.value.message_dict


def test_storefront_at_the_root_of_the_shops_host(client, shop):
    home = client.get("/", HTTP_HOST=HOST)
    assert home.status_code == 200 and "Brass Lamp" in home.content.decode()
    product = client.get("/p/brass-lamp/", HTTP_HOST=HOST)
    assert product.status_code == 200 and "<h1>Brass Lamp</h1>" in product.content.decode()
    assert client.get("/robots.txt", HTTP_HOST=HOST).status_code == 200
    assert client.get("/sitemap.xml", HTTP_HOST=HOST).status_code == 200
    assert client.get("/p/nothing/", HTTP_HOST=HOST).status_code == 404
    # the platform's own paths are the platform's on any host
    assert client.get("/api/v1/schema/?format=json", HTTP_HOST=HOST).status_code == 200
    assert client.get(f"/s/{shop.slug}/", HTTP_HOST=HOST).status_code == 200
    # a host no tenant owns is not mapped; the platform's own host serves the platform's home
    assert "Brass Lamp" not in client.get("/", HTTP_HOST="other.example.com").content.decode()
    assert "Brass Lamp" not in client.get("/").content.decode()
    # a host Django does not allow is refused (ALLOWED_HOSTS)
    assert client.get("/", HTTP_HOST="evil.example.net").status_code == 400


def test_cached_pages_do_not_cross_hosts(client, shop):
    assert "Brass Lamp" in client.get("/", HTTP_HOST=HOST).content.decode()
    assert "Brass Lamp" not in client.get("/", HTTP_HOST="other.example.com").content.decode()
    assert "Brass Lamp" in client.get("/", HTTP_HOST=HOST).content.decode()


def test_admin_sets_the_domain_and_the_cache_follows(client, shop, settings):
    settings.PLATFORM_HOSTS = ["bazaar.example.com"]
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert tenant_slug_for_host(HOST) == shop.slug
    url = f"/admin/tenants/tenant/{shop.pk}/change/"
    form = {"name": shop.name, "currency": shop.currency, "time_zone": shop.time_zone, "domain": "New.Example.com"}
    form |= {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Tenant.objects.get(pk=shop.pk).domain == "new.example.com"
    assert tenant_slug_for_host(HOST) is None and tenant_slug_for_host("new.example.com") == shop.slug
    form["domain"] = "localhost"
    assert "Enter a host name such as shop.example.com" in client.post(url, form).content.decode()
    form["domain"] = "Bazaar.example.com"
    assert "own address" in client.post(url, form).content.decode()
    assert Tenant.objects.get(pk=shop.pk).domain == "new.example.com"


def canonical_of(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)


@pytest.mark.parametrize("host", [HOST, "testserver"], ids=["on-the-shop-domain", "on-the-platform-host"])
def test_canonical_links_name_the_shops_domain_on_any_host(client, shop, host):
    prefix = "" if host == HOST else f"/s/{shop.slug}"
    product = client.get(f"{prefix}/p/brass-lamp/", HTTP_HOST=host).content.decode()
    assert canonical_of(product) == f"http://{HOST}/p/brass-lamp/"
    assert f'"url": "http://{HOST}/p/brass-lamp/"' in product  # JSON-LD too
    assert canonical_of(client.get(f"{prefix}/", HTTP_HOST=host).content.decode()) == f"http://{HOST}/"


def test_sitemap_and_robots_on_the_shop_domain(client, shop):
    sitemap = client.get("/sitemap.xml", HTTP_HOST=HOST).content.decode()
    assert f"<loc>http://{HOST}/p/brass-lamp/</loc>" in sitemap and "/s/" not in sitemap
    robots = client.get("/robots.txt", HTTP_HOST=HOST).content.decode()
    assert robots.splitlines() == [
        "User-agent: *",
        "Allow: /",
        "Disallow: /search",
        f"Sitemap: http://{HOST}/sitemap.xml",
    ]
    platform = client.get(f"/s/{shop.slug}/robots.txt").content.decode()
    assert f"Allow: /s/{shop.slug}/" in platform and f"Sitemap: http://{HOST}/sitemap.xml" in platform


def test_production_canonical_links_are_https(client, shop, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    page = client.get("/p/brass-lamp/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https").content.decode()
    assert canonical_of(page) == f"https://{HOST}/p/brass-lamp/"


def test_a_shop_without_a_domain_keeps_platform_canonicals(client, tenant):
    make_product(tenant, "Tin Lamp", slug="tin-lamp")
    page = client.get(f"/s/{tenant.slug}/p/tin-lamp/").content.decode()
    assert canonical_of(page) == f"http://testserver/s/{tenant.slug}/p/tin-lamp/"


def test_a_new_domain_changes_the_canonical_of_cached_pages(client, shop, settings):
    staff = UserFactory(is_staff=True, is_superuser=True)
    path = f"/s/{shop.slug}/p/brass-lamp/"
    assert canonical_of(client.get(path).content.decode()) == f"http://{HOST}/p/brass-lamp/"  # now cached
    client.force_login(staff)
    form = {"name": shop.name, "currency": shop.currency, "time_zone": shop.time_zone, "domain": "new.example.com"}
    form |= {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    assert client.post(f"/admin/tenants/tenant/{shop.pk}/change/", form).status_code == 302
    client.logout()
    assert canonical_of(client.get(path).content.decode()) == "http://new.example.com/p/brass-lamp/"
