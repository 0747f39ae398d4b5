"""A local HTTP server on 127.0.0.1 standing in for a shop's image host (the import's
``image_urls`` tests): good images, a redirect, wrong types, too large, a decompression bomb,
a 404, a slow answer, and redirects to places that are never fetched."""

import struct
import time
import zlib
from http.server import BaseHTTPRequestHandler

from tests.catalog.factories import png_bytes


def bomb_png(width=60_000, height=60_000) -> bytes:
    """A valid PNG header declaring 3.6 billion pixels, a few bytes long."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


ROUTES = {
    "/red.png": (200, "image/png", png_bytes()),
    "/blue.png": (200, "image/png", png_bytes(colour=(0, 0, 200))),
    "/page.html": (200, "text/html", b"<html>not an image</html>"),
    "/big.png": (200, "image/png", png_bytes(600, 600) + b"\0" * 300_000),
    "/bomb.png": (200, "image/png", bomb_png()),
    "/gone.png": (404, "text/plain", b"missing"),
}


class Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.hits.append(self.path)
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case)

    def _answer(self):
        if self.path == "/slow.png":
            time.sleep(2)
        redirects = {
            "/moved.png": "/red.png",
            "/to-ssh.png": "http://127.0.0.1:22/",
            "/to-file.png": "file:///etc/passwd",
        }
        if self.path in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[self.path])
            self.end_headers()
            return
        status, content_type, body = ROUTES.get(self.path, (200, "image/png", png_bytes()))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass
