"""Issue 13, item 10: a CSV's ``image_urls`` (``|``-separated) are fetched in the background after
the rows commit, with SSRF protection (http/https only, no private/loopback/link-local address
unless ``CATALOG_IMAGE_FETCH_ALLOW_PRIVATE``), a size cap, a timeout, a content-type check and the
upload's decompression-bomb checks. A failure is a line of the import's error report; the row
stays imported. A local HTTP server on 127.0.0.1 stands in for the shop's image host."""

import csv
import io
import ssl
import subprocess
import threading
from http.server import ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog import importer
from apps.catalog.image_fetch import ImageFetchError, check_address, fetch_image
from apps.catalog.models import Product, ProductImage
from tests.catalog.image_host import ROUTES, Handler

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback_allowed(settings):
    settings.CATALOG_IMAGE_FETCH_ALLOW_PRIVATE = True
    settings.CATALOG_IMAGE_FETCH_TIMEOUT = 1
    settings.CATALOG_MAX_IMAGE_BYTES = 200_000
    return settings


def import_job(tenant, text, capture):
    upload = SimpleUploadedFile("images.csv", text.encode(), "text/csv")
    with capture(execute=True):
        job = importer.start_import(tenant=tenant, user=None, upload=upload, mode="skip")
    job.refresh_from_db()
    return job


def report(job):
    with job.result.open("rb") as fh:
        return list(csv.DictReader(io.StringIO(fh.read().decode())))


def test_images_are_fetched_after_the_rows_and_failures_reported_per_row(
    tenant, image_host, loopback_allowed, django_capture_on_commit_callbacks
):
    h = image_host
    text = (
        "sku,name,price,image_urls\n"
        f"LAMP-1,Lamp,10.00,{h}/red.png|{h}/moved.png|{h}/blue.png\n"
        f"LAMP-2,Lamp,10.00,{h}/red.png\n"  # same product, same URL: fetched once
        f"MUG-1,Mug,4.00,{h}/page.html|{h}/big.png|{h}/bomb.png|{h}/gone.png|{h}/slow.png\n"
        "BAD-1,Bad,-1,ftp://example.com/x.png\n"
    )
    job = import_job(tenant, text, django_capture_on_commit_callbacks)
    assert job.status == "done" and job.created_count == 3
    lamp = Product.objects.for_tenant(tenant).get(slug="lamp")
    images = list(lamp.images.all())
    assert [i.source_url for i in images] == [f"{h}/red.png", f"{h}/moved.png", f"{h}/blue.png"]
    assert images[0].width == 40 and images[0].thumbnails  # thumbnails made by their own task
    mug = Product.objects.for_tenant(tenant).get(slug="mug")
    assert not mug.images.exists() and mug.variants.get().sku == "MUG-1"  # the row stays imported
    rows = report(job)
    lines = {
        (row["row"], row["column"] if row["row"] == "5" else row["message"].split(": ", 1)[0]): row["message"]
        for row in rows
    }
    assert len(rows) == 7, rows
    assert set(lines) == {
        ("5", "price"),
        ("5", "image_urls"),
        ("4", f"{h}/page.html"),
        ("4", f"{h}/big.png"),
        ("4", f"{h}/bomb.png"),
        ("4", f"{h}/gone.png"),
        ("4", f"{h}/slow.png"),
    }
    assert "Not an image (Content-Type text/html)" in lines[("4", f"{h}/page.html")]
    assert "larger than" in lines[("4", f"{h}/big.png")]
    assert "too many pixels" in lines[("4", f"{h}/bomb.png")]
    assert "answered 404" in lines[("4", f"{h}/gone.png")]
    assert "1 s" in lines[("4", f"{h}/slow.png")]
    assert job.params["images"] | {"work": None} == {
        "work": None,
        "total": 8,
        "fetched": 3,
        "failed": 5,
        "finished": True,
    }
    assert job.error_count == 7
    # a second import of the same file fetches nothing again
    again = import_job(tenant, text, django_capture_on_commit_callbacks)
    assert again.unchanged_count == 3 and ProductImage.objects.for_tenant(tenant).count() == 3
    assert again.params["images"]["fetched"] == 3 and again.params["images"]["failed"] == 5


def test_the_job_page_tells_how_the_images_went(
    client, tenant, make_member, image_host, loopback_allowed, django_capture_on_commit_callbacks
):
    client.force_login(make_member(tenant, "viewer"))
    job = import_job(
        tenant,
        f"sku,name,price,image_urls\nA,A,1,{image_host}/red.png|{image_host}/gone.png\n",
        django_capture_on_commit_callbacks,
    )
    body = client.get(f"/a/{tenant.slug}/catalog/jobs/{job.pk}/").content.decode()
    assert "Images: 1 of 2 added, 1 could not be fetched (see the error report)." in body


def test_loopback_is_refused_with_the_default_setting(tenant, image_host, django_capture_on_commit_callbacks):
    Handler.hits.clear()
    job = import_job(
        tenant, f"sku,name,price,image_urls\nA,A,1,{image_host}/red.png\n", django_capture_on_commit_callbacks
    )
    assert job.status == "done" and job.created_count == 1
    assert not ProductImage.objects.for_tenant(tenant).exists()
    [line] = report(job)
    assert line["row"] == "2" and line["column"] == "image_urls"
    assert "Refused: the host resolves to a private or local address (127.0.0.1)." in line["message"]
    assert Handler.hits == []  # refused before connecting


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.5.5",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
    ],
)
def test_private_and_local_addresses_are_refused(address):
    with pytest.raises(ImageFetchError, match="private or local"):
        check_address(address)


@pytest.mark.parametrize(
    "url,needle",
    [
        ("file:///etc/passwd", "Only http and https"),
        ("http://user:pw@example.com/a.png", "no user name or password"),
        ("http://example.com:22/a.png", "Port 22"),
        ("http://localhost/a.png", "private or local"),
    ],
)
def test_urls_that_are_never_fetched(url, needle):
    with pytest.raises(ImageFetchError, match=needle):
        fetch_image(url)


def test_every_redirect_hop_is_checked_again(settings, image_host):
    settings.CATALOG_IMAGE_FETCH_ALLOW_PRIVATE = True
    body, content_type = fetch_image(f"{image_host}/moved.png")
    assert content_type == "image/png" and body == ROUTES["/red.png"][2]
    with pytest.raises(ImageFetchError, match="Port 22 is not fetched"):
        fetch_image(f"{image_host}/to-ssh.png")
    with pytest.raises(ImageFetchError, match="Only http and https"):
        fetch_image(f"{image_host}/to-file.png")


def test_https_is_verified_even_though_the_address_is_pinned(settings, tmp_path):
    """A self-signed certificate is refused: connecting to the checked address keeps TLS checks."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        ["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CATALOG_IMAGE_FETCH_ALLOW_PRIVATE = True
    try:
        with pytest.raises(ImageFetchError, match="could not be downloaded \\(SSLCertVerificationError\\)"):
            fetch_image(f"https://127.0.0.1:{server.server_address[1]}/red.png")
    finally:
        server.shutdown()
        server.server_close()
