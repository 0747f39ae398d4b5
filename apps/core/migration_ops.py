"""Helpers for migrations: SQL that only PostgreSQL runs (trigram and expression indexes)."""

from __future__ import annotations

from django.db import migrations


def postgresql_only(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """A ``RunPython`` that executes ``forward`` (``backward`` when reversed) on PostgreSQL and
    does nothing on other databases (the embedded SQLite demo searches without these indexes)."""

    def run(statements):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for statement in statements:
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forward), run(backward))
