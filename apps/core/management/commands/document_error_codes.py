"""``manage.py document_error_codes [--check]``: write the error-code table into ``docs/api.md``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apps.core import error_docs


class Command(BaseCommand):
    help = "Regenerate the table of error codes in docs/api.md from apps.core.errors.ErrorCode."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if docs/api.md is out of date")

    def handle(self, *args, check: bool, **options):
        missing = error_docs.missing_codes()
        if missing:
            raise CommandError(f"Describe these codes in apps/core/error_docs.py first: {', '.join(missing)}")
        path = error_docs.api_doc_path()
        current = path.read_text(encoding="utf-8")
        wanted = error_docs.with_table(current)
        if check:
            if current != wanted:
                raise CommandError("docs/api.md's error-code table is out of date: run manage.py document_error_codes")
            self.stdout.write("docs/api.md is up to date")
            return
        path.write_text(wanted, encoding="utf-8")
        self.stdout.write(f"wrote the table of {len(error_docs.ERROR_CODE_DOCS)} codes to {path}")
