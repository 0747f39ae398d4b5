"""The raw event table is built from the Event model: one description of its columns."""

import dataclasses

import pytest
from django.db import connection

from apps.analytics import event_schema
from apps.analytics.models import Event

pytestmark = pytest.mark.django_db


def test_event_row_fields_are_the_model_columns_in_order():
    assert tuple(f.name for f in dataclasses.fields(event_schema.EventRow)) == event_schema.COLUMNS
    assert tuple(f.column for f in Event._meta.concrete_fields if f.column) == event_schema.COLUMNS
    assert event_schema.PRIMARY_KEY == ("tenant_id", "occurred_at", "event_id")


def test_the_migrated_table_has_the_models_columns_types_and_nullability():
    with connection.cursor() as cursor:
        described = {
            column.name: column for column in connection.introspection.get_table_description(cursor, event_schema.TABLE)
        }
    assert tuple(described) == event_schema.COLUMNS
    for field in event_schema.FIELDS:
        assert described[field.column].null_ok is field.null, field.column
    ddl = "\n".join(event_schema.create_table_sql(connection))
    for field in event_schema.FIELDS:
        assert f"{field.column} {field.db_type(connection)} " in ddl


def test_ddl_defaults_come_from_the_event_row():
    columns = "\n".join(event_schema.column_definitions(connection))
    assert "url varchar(512) NOT NULL DEFAULT ''" in columns
    assert "props jsonb NOT NULL DEFAULT '{}'::jsonb" in columns
    assert "type varchar(16) NOT NULL\n" in columns + "\n"  # no default: every row names its type
