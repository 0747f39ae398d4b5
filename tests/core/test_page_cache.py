"""The anonymous page cache (apps/core/page_cache*.py) against real Redis, through the whole
middleware stack: per-request fragments, dependencies, ETag/304, gzip, who is never served."""

import gzip
import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from apps.core import gzip_segments, page_cache
from tests.core import urls_page_cache as probe

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls_page_cache")]

CACHED, PLAIN = "/probe-page/cached/", "/probe-page/plain/"


@pytest.fixture(autouse=True)
def cart_fragment(settings):
    """A cart-style fragment reading a cookie, like the orders app's ``cart_count``."""
    settings.PAGE_CACHE_PATH_PREFIXES = ["/probe-page/"]
    page_cache.register_fragment("probe_cart", lambda request: request.COOKIES.get("probe_cart", "0"))
    probe.RENDERS["count"] = 0
    yield
    page_cache.unregister_fragment("probe_cart")


def text(response, tag):
    return re.search(rf'<p id="{tag}">(.*?)</p>', response.content.decode()).group(1)


def test_second_request_is_a_hit_with_its_own_parts(client, django_assert_num_queries):
    first = client.get(CACHED, HTTP_X_REQUEST_ID="request-one-1")
    assert first["X-Page-Cache"] == "miss" and probe.RENDERS["count"] == 1
    with django_assert_num_queries(0):
        second = client.get(CACHED, HTTP_X_REQUEST_ID="request-two-2")
    assert second["X-Page-Cache"] == "hit" and probe.RENDERS["count"] == 1
    assert text(first, "rid") == "request-one-1" and text(second, "rid") == "request-two-2"
    assert text(first, "csrf") != text(second, "csrf")  # masked anew per request
    assert "<!--bz:" not in second.content.decode()
    assert second["Cache-Control"] == "private, no-cache"
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in second["Vary"].split(",")}


def test_cart_cookie_is_filled_into_the_cached_bytes(client):
    client.get(CACHED)
    client.cookies["probe_cart"] = "3"
    response = client.get(CACHED)
    assert response["X-Page-Cache"] == "hit" and text(response, "cart") == "3"


def test_a_visitor_with_state_is_served_but_never_fills_the_cache(client):
    client.cookies["probe_cart"] = "5"
    first = client.get(CACHED)
    assert "X-Page-Cache" not in first and text(first, "cart") == "5"  # rendered for them, not stored
    assert Client().get(CACHED)["X-Page-Cache"] == "miss"  # a stateless visitor fills it
    assert client.get(CACHED)["X-Page-Cache"] == "hit" and text(client.get(CACHED), "cart") == "5"


def test_fragment_values_are_escaped(client):
    client.get(CACHED)
    client.cookies["probe_cart"] = "<b>"
    assert text(client.get(CACHED), "cart") == "&lt;b&gt;"


def test_csrf_token_from_a_cached_page_passes_the_csrf_check(db):
    browser = Client(enforce_csrf_checks=True)
    Client().get(CACHED)  # someone else filled the cache
    page = browser.get(CACHED)
    assert page["X-Page-Cache"] == "hit"
    assert "csrftoken" in page.cookies  # a first visit gets its cookie from the hit
    token = text(page, "csrf")
    plain_tag = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert plain_tag == token  # Django's own {% csrf_token %} is the same fragment (one token per request)
    assert browser.post("/accounts/logout/", {"csrfmiddlewaretoken": plain_tag}).status_code in (200, 302)
    assert browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code in (200, 302)
    assert browser.post("/accounts/logout/", {"csrfmiddlewaretoken": "x" * 64}).status_code == 403


def test_a_dependency_change_makes_the_page_stale_at_once(client):
    cache.set(probe.VERSION_KEY, 1)
    assert "catalog 1" in client.get(CACHED).content.decode()
    assert client.get(CACHED)["X-Page-Cache"] == "hit"
    cache.set(probe.VERSION_KEY, 2)
    response = client.get(CACHED)
    assert response["X-Page-Cache"] == "miss" and "catalog 2" in response.content.decode()


def test_session_or_messages_cookie_is_never_served_from_the_cache(client, user):
    client.get(CACHED)
    client.force_login(user)
    response = client.get(CACHED)
    assert "X-Page-Cache" not in response and probe.RENDERS["count"] == 2
    anonymous = Client()
    anonymous.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in anonymous.get(CACHED)
    assert "X-Page-Cache" not in Client().get(CACHED, HTTP_AUTHORIZATION="Bearer x")


def test_signed_in_render_is_not_stored_for_anonymous_visitors(client, user):
    client.force_login(user)
    client.get(CACHED)
    assert Client().get(CACHED)["X-Page-Cache"] == "miss"


def test_etag_gives_304_until_the_page_or_the_cart_changes(client):
    first = client.get(CACHED)
    etag = first["ETag"]
    assert etag.startswith('W/"') and first.has_header("Last-Modified")
    revalidated = client.get(CACHED, HTTP_IF_NONE_MATCH=etag)
    assert revalidated.status_code == 304 and revalidated.content == b"" and revalidated["ETag"] == etag
    client.cookies["probe_cart"] = "1"
    assert client.get(CACHED, HTTP_IF_NONE_MATCH=etag).status_code == 200
    del client.cookies["probe_cart"]
    cache.set(probe.VERSION_KEY, 9)
    assert client.get(CACHED, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_gzip_hit_decodes_to_the_page_with_its_parts(client):
    client.get(CACHED)
    response = client.get(CACHED, HTTP_ACCEPT_ENCODING="gzip, br", HTTP_X_REQUEST_ID="gzip-request-1")
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(response.content).decode()
    assert '<p id="rid">gzip-request-1</p>' in body and "catalog" in body
    assert len(response.content) < len(body) / 2


def test_head_has_headers_and_no_body(client):
    client.get(CACHED)
    response = client.head(CACHED)
    assert response.status_code == 200 and response.content == b"" and int(response["Content-Length"]) > 500


def test_view_without_opt_in_is_filled_and_never_stored(client):
    first, second = client.get(PLAIN), client.get(PLAIN)
    assert "X-Page-Cache" not in second and probe.RENDERS["count"] == 2
    assert "<!--bz:" not in first.content.decode() and text(first, "cart") == "0"


def test_disabled_page_cache_renders_values(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get(CACHED)
    response = client.get(CACHED)
    assert "X-Page-Cache" not in response and text(response, "cart") == "0"


def test_bad_host_is_refused_before_the_cache(client):
    assert client.get(CACHED, HTTP_HOST="evil.example").status_code == 400


def test_forged_placeholder_stays_text():
    fake = b"<!--bz:csrf_token:0000000000000000-->"
    real = page_cache.placeholder("csrf_token").encode()
    template = page_cache.split_placeholders(b"a" + fake + b"b" + real + b"c")
    assert template.names == ["csrf_token"] and template.parts == [b"a" + fake + b"b", b"c"]


def test_register_fragment_refuses_bad_names_and_unknown_tag_names():
    with pytest.raises(ValueError, match="fragment names"):
        page_cache.register_fragment("Cart-Count", lambda request: "")
    with pytest.raises(ValueError, match="no per-request fragment"):
        page_cache.per_request(None, "nothing_registered")


def test_scope_bump_changes_the_dependency():
    before = page_cache.scope_dependency("tenant:1")
    page_cache.bump_scope("tenant:1")
    after = page_cache.scope_dependency("tenant:1")
    assert before != after and list(after.values())[0]


@pytest.mark.parametrize("sizes", [[0], [10, 0, 5], [70_000, 3], [1, 200_000]])
def test_gzip_segments_round_trip(sizes):
    parts = [bytes([65 + i % 26]) * n + b"<p>static</p>" for i, n in enumerate(sizes)]
    values = [f"value-{i}".encode() * (i * 9000) for i in range(len(parts) - 1)]
    raw = parts[0] + b"".join(v + p for v, p in zip(values, parts[1:], strict=True))
    assert gzip.decompress(gzip_segments.assemble(gzip_segments.deflate_parts(parts), values, raw)) == raw


@override_settings(PAGE_CACHE_PATH_PREFIXES=["/nothing/"])
def test_paths_outside_the_prefixes_are_not_cached(client):
    client.get(CACHED)
    assert "X-Page-Cache" not in client.get(CACHED)
