"""Catalog test fixtures."""

import threading
from http.server import ThreadingHTTPServer

import pytest

from tests.catalog.image_host import Handler


@pytest.fixture(scope="module")
def image_host():
    """The base URL of a local image host on 127.0.0.1 (``tests/catalog/image_host.py``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
