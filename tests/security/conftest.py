"""The security tests reuse the analytics ingestion fixtures (real endpoint, real Redis) and the
accounts fixtures (a verified user, an API client, a token login)."""

from tests.accounts.conftest import api, login, verified_user  # noqa: F401
from tests.analytics.conftest import ingest_key, send  # noqa: F401
