"""The security tests reuse the analytics ingestion fixtures (real endpoint, real Redis)."""

from tests.analytics.conftest import ingest_key, send  # noqa: F401
