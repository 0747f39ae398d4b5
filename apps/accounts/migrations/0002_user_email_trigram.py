"""PostgreSQL only: a trigram index on ``UPPER(email)`` so the admin's user search (``icontains``)
stays an index scan at 100,000 users instead of a sequential scan. Skipped on SQLite."""

from django.db import migrations

from apps.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS accounts_user_email_upper_trgm ON accounts_user USING gin (UPPER(email::text) gin_trgm_ops)",
    "ANALYZE accounts_user",
]
BACKWARD = ["DROP INDEX IF EXISTS accounts_user_email_upper_trgm"]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
