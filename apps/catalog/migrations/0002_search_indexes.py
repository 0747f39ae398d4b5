"""PostgreSQL-only search indexes: pg_trgm, GIN on the search vector, trigram GIN on the name,
jsonb_path_ops GIN on attributes. Skipped on SQLite (the embedded demo uses icontains)."""

from django.db import migrations

from apps.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalog_product_search_gin ON catalog_product USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS catalog_product_name_trgm ON catalog_product USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS catalog_product_attrs_gin ON catalog_product USING gin (attributes jsonb_path_ops)",
    "CREATE INDEX IF NOT EXISTS catalog_category_path_prefix ON catalog_category (tenant_id, path varchar_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalog_product_search_gin",
    "DROP INDEX IF EXISTS catalog_product_name_trgm",
    "DROP INDEX IF EXISTS catalog_product_attrs_gin",
    "DROP INDEX IF EXISTS catalog_category_path_prefix",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
