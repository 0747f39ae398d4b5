"""Checks run after an erasure: does any table still hold the person (or the tenant)?

The check walks every table Django knows (all installed apps): text and JSON columns are searched
for the email address, the display name and the public id; foreign keys to the user model (and
the raw event table's ``user_id``) for the numeric id. Findings are reported as ``table.column``
only, so the verification record itself holds no personal data.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import connection, models

from apps.analytics import event_store

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
SKIP_TABLES = {event_store.TABLE, "django_migrations"}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _text_columns() -> dict[str, list[str]]:
    """Text and JSON columns of every table, by table."""
    columns: dict[str, list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in SKIP_TABLES or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS) and field.column not in columns.get(table, []):
                columns.setdefault(table, []).append(field.column)
    return columns


def _user_fk_columns():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                yield model._meta.db_table, field.column


def _columns_containing(table: str, columns: list[str], needles: list[str]) -> list[str]:
    """Which of ``columns`` of ``table`` contain any of ``needles`` (case-insensitively).

    One scan of the table answers for every column and needle at once: at 10^5–10^6 rows per
    table, a query per column and needle (the first version) was dozens of full scans.
    """
    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    patterns = ["%" + n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for n in needles]
    checks, params = [], []
    for column in columns:
        matches = " OR ".join(f"CAST({_quote(column)} AS TEXT) {like} %s ESCAPE '\\'" for _ in patterns)
        checks.append(f"MAX(CASE WHEN {matches} THEN 1 ELSE 0 END)")
        params += patterns
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(checks)} FROM {_quote(table)}", params)  # noqa: S608
        row = cursor.fetchone()
    return [column for column, hit in zip(columns, row or (), strict=False) if hit]


def _equals(table: str, column: str, value) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_quote(table)} WHERE {_quote(column)} = %s LIMIT 1", [value])  # noqa: S608
        return cursor.fetchone() is not None


def find_user_traces(*, user_pk: int, email: str, name: str, public_id: str) -> list[str]:
    """``table.column`` of every place that still holds the user's email, name, public id or id."""
    needles = [value for value in (email, public_id, name) if value and len(value) >= 4]
    hits = []
    for table, columns in _text_columns().items() if needles else ():
        hits += [f"{table}.{column}" for column in _columns_containing(table, columns, needles)]
    for table, column in _user_fk_columns():
        if _equals(table, column, user_pk):
            hits.append(f"{table}.{column}")
    user_table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    if _equals(user_table, "id", user_pk):
        hits.append(f"{user_table}.id")
    if event_store.count_user_events(user_id=user_pk):
        hits.append(f"{event_store.TABLE}.user_id")
    return sorted(set(hits))


def find_tenant_traces(*, tenant_id: int) -> list[str]:
    """``table.column`` of every place that still holds rows of the tenant."""
    tenant_model = apps.get_model("tenants", "Tenant")
    hits = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            is_tenant_fk = isinstance(field, models.ForeignKey) and field.related_model is tenant_model
            if is_tenant_fk and _equals(model._meta.db_table, field.column, tenant_id):
                hits.append(f"{model._meta.db_table}.{field.column}")
    if _equals(tenant_model._meta.db_table, "id", tenant_id):
        hits.append(f"{tenant_model._meta.db_table}.id")
    if event_store.count_events(tenant_id=tenant_id):
        hits.append(f"{event_store.TABLE}.tenant_id")
    return sorted(set(hits))
