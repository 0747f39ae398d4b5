"""gunicorn settings: ``gunicorn -c config/gunicorn.py config.wsgi:application``.

- ``gthread`` workers: ``WEB_CONCURRENCY`` processes x ``GUNICORN_THREADS`` threads (2 x 8 by
  default). Each process has its own database pool whose size follows the threads (see
  ``DB_POOL_MAX_SIZE`` in config/settings/base.py), so an instance holds at most 16 connections by
  default; put pgBouncer (transaction mode) in front of PostgreSQL when instances multiply.
- ``preload_app`` stays off: the application (and with it every pool, Redis client and broker
  connection) is loaded in each worker after the fork, never in the master.
- With several workers, Prometheus metrics are aggregated through ``PROMETHEUS_MULTIPROC_DIR``.
"""

import os
import shutil

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# The database pool must hold at least one connection per thread.
os.environ.setdefault("DB_POOL_MAX_SIZE", str(threads))
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Idle keep-alive connections each worker holds (gthread parks them in its poller, not a thread):
# 10,000 storefront visitors on 2 workers need 5,000+, and a keep-alive longer than their pause.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Heartbeat files in memory, not on a container's overlay filesystem.
SHM = "/dev/shm"  # noqa: S108 - gunicorn's recommended heartbeat location, not a temp file
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", SHM if os.path.isdir(SHM) else None)
# The proxy in front terminates TLS and sets X-Forwarded-Proto (Django's SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access lines come from the application's JSON access log (request id, tenant, user, duration);
# gunicorn's own lines (start, worker boot, timeouts) are JSON too, on stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apps.core.logging.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}


def on_starting(server):
    """Start each deployment with an empty Prometheus multiprocess directory."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    """Tell the Prometheus client that a worker's live gauges are gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
