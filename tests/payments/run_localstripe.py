"""Run localstripe (a fake, stateful Stripe server) on 127.0.0.1 only: ``python run_localstripe.py PORT``.

localstripe's own ``start()`` binds every interface and pickles its store to /tmp after each
write; the tests want neither, so this serves the same aiohttp app on loopback with an in-memory
store.
"""

import sys

from aiohttp import web
from localstripe import resources, server

resources.Store.dump_to_disk = lambda self: None  # in memory only: nothing shared through /tmp

if __name__ == "__main__":
    web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
