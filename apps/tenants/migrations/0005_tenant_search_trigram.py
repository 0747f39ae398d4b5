"""PostgreSQL only: trigram indexes on ``UPPER(name)`` and ``UPPER(slug)`` so the admin's tenant
search (``icontains``) is an index scan at 10,000+ tenants. Skipped on SQLite."""

from django.db import migrations

from apps.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS tenants_tenant_name_upper_trgm ON tenants_tenant USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS tenants_tenant_slug_upper_trgm ON tenants_tenant USING gin (UPPER(slug::text) gin_trgm_ops)",
    "ANALYZE tenants_tenant",
]
BACKWARD = ["DROP INDEX IF EXISTS tenants_tenant_name_upper_trgm", "DROP INDEX IF EXISTS tenants_tenant_slug_upper_trgm"]


class Migration(migrations.Migration):
    dependencies = [("tenants", "0004_case_insensitive_lookup_indexes")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
