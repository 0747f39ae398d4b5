"""Create the raw event table: partitioned by month on PostgreSQL, a plain table on SQLite."""

from django.db import migrations


def create_event_table(apps, schema_editor):
    from apps.analytics.event_store import create_table

    create_table(schema_editor)


def drop_event_table(apps, schema_editor):
    from apps.analytics.event_store import drop_table

    drop_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [migrations.RunPython(create_event_table, drop_event_table)]
