"""Fetching an image from a URL a shop gave (the CSV's ``image_urls``) without letting it reach
the platform's own network (SSRF).

Only ``http``/``https`` on their usual ports or any port above 1023; the host is resolved once and
every address it resolves to must be public (not private, loopback, link-local, multicast,
reserved or unspecified), unless ``CATALOG_IMAGE_FETCH_ALLOW_PRIVATE`` is on (tests, a local
demo). The connection goes to the address that was checked (a second lookup cannot swap in
another: no DNS rebinding), TLS still verifies the host name. Redirects are followed at most
``MAX_REDIRECTS`` times, each checked again. The body is read up to ``CATALOG_MAX_IMAGE_BYTES``
within ``CATALOG_IMAGE_FETCH_TIMEOUT`` seconds and must be declared ``image/*``; the image checks
themselves (format, pixels, decompression bombs) are ``images.check_image_upload``'s.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 3
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
USER_AGENT = "Bazaar-image-import/1"


class ImageFetchError(Exception):
    """A URL that cannot or may not be fetched; ``str(exc)`` is for the import's error report."""


def _allow_private() -> bool:
    return bool(getattr(settings, "CATALOG_IMAGE_FETCH_ALLOW_PRIVATE", False))


def check_address(address: str) -> None:
    """Refuse an address of the platform's own or a private network (unless allowed)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if _allow_private():
        return
    if not ip.is_global or ip.is_multicast or ip.is_loopback or ip.is_link_local or ip.is_private:
        raise ImageFetchError(f"Refused: the host resolves to a private or local address ({ip}).")


def resolve_host(host: str, port: int) -> str:
    """The first address of ``host``; every address it has must pass ``check_address``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ImageFetchError(f"The host {host[:60]} could not be found.") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise ImageFetchError(f"The host {host[:60]} could not be found.")
    for address in addresses:
        check_address(address)
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to by then."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _split(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ImageFetchError("Only http and https image URLs are fetched.")
    if not parts.hostname or parts.username or parts.password:
        raise ImageFetchError("The URL needs a host name and no user name or password.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise ImageFetchError("The URL has a bad port.") from exc
    if port not in (80, 443) and port < 1024:
        raise ImageFetchError(f"Port {port} is not fetched.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname, port, path


def fetch_image(url: str) -> tuple[bytes, str]:
    """``(body, content_type)`` of an image URL, within the limits above, or ``ImageFetchError``."""
    limit = settings.CATALOG_MAX_IMAGE_BYTES
    timeout = float(getattr(settings, "CATALOG_IMAGE_FETCH_TIMEOUT", 10))
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = _split(url)
        address = resolve_host(host, port)
        connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        connection = connection_class(host, port, address=address, timeout=timeout)
        try:
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": ", ".join(IMAGE_TYPES)})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise ImageFetchError(f"The server answered {response.status}.")
            content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            if content_type not in IMAGE_TYPES:
                raise ImageFetchError(f"Not an image (Content-Type {content_type[:40] or 'missing'}).")
            declared = response.getheader("Content-Length")
            if declared and declared.isdecimal() and int(declared) > limit:
                raise ImageFetchError(f"The image is larger than {limit // (1024 * 1024) or 1} MB.")
            body = bytearray()
            while len(body) <= limit:
                if time.monotonic() > deadline:
                    raise ImageFetchError(f"The image took longer than {timeout:g} s to download.")
                chunk = response.read(65536)
                if not chunk:
                    break
                body += chunk
            if len(body) > limit:
                raise ImageFetchError(f"The image is larger than {limit // (1024 * 1024) or 1} MB.")
            return bytes(body), content_type
        except TimeoutError as exc:
            raise ImageFetchError(f"The server did not answer within {timeout:g} s.") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise ImageFetchError(f"The image could not be downloaded ({exc.__class__.__name__}).") from exc
        finally:
            connection.close()
    raise ImageFetchError(f"More than {MAX_REDIRECTS} redirects.")
