"""Previewing a CSV import before it runs: the first rows as the importer reads them, each with
its errors, the counts of good and bad rows, and the full error report, all before anything is
written. The upload is kept in the default storage under the tenant's own folder with a random
token; importing it later (``start_previewed_import``) queues the usual import job.

Reads only: every rule is the importer's own (``apps.catalog.csv_rows``), so the preview says
exactly what the import will do. Also the template CSV a shop can fill in (``template_csv``)."""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.catalog import importer
from apps.catalog.csv_categories import CategoryResolver
from apps.catalog.csv_dialect import Dialect, ImportOptions
from apps.catalog.csv_rows import COLUMNS, RowError, read_csv, validate_rows
from apps.core import csv_safe
from apps.core.errors import ApplicationError, ErrorCode, Invalid, NotFound

PREVIEW_ROWS = 10
ERRORS_SHOWN = 50
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class PreviewRow:
    line: int
    cells: list[str]
    errors: list[RowError]


@dataclass
class ImportPreview:
    """What importing the file would do. ``fatal``: a file-level problem, nothing can be imported."""

    token: str
    columns: list[str] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    total_rows: int = 0
    bad_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    fatal: bool = False
    options: ImportOptions = field(default_factory=ImportOptions)
    dialect: Dialect | None = None
    new_categories: int = 0
    image_urls: int = 0

    @property
    def good_rows(self) -> int:
        return self.total_rows - self.bad_rows

    @property
    def errors_shown(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.row, e.column))[:ERRORS_SHOWN]


def _path(tenant, token: str) -> str:
    if not _TOKEN.match(token or ""):
        raise NotFound("No such preview.")
    return f"catalog/{tenant.pk}/import-previews/{token}.csv"


def store_preview_upload(*, tenant, upload) -> str:
    """Keep an uploaded CSV for preview; returns its token. Size checked like an import (413)."""
    if upload is None:
        raise Invalid({"file": ["Required."]}, message="Choose a CSV file.")
    limit = importer.max_import_bytes()
    if upload.size > limit:
        message = f"The file is larger than {limit // (1024 * 1024)} MB."
        raise ApplicationError(message, code=ErrorCode.PAYLOAD_TOO_LARGE, status=413)
    token = uuid.uuid4().hex
    default_storage.save(_path(tenant, token), upload)
    return token


def _read(tenant, token: str) -> bytes:
    path = _path(tenant, token)
    if not default_storage.exists(path):
        raise NotFound("This preview has expired: upload the file again.")
    with default_storage.open(path, "rb") as fh:
        return fh.read()


def preview_import(
    *, tenant, token: str, limit: int = PREVIEW_ROWS, options: ImportOptions | None = None
) -> ImportPreview:
    """Validate the stored file exactly as the import would (same ``options``), writing nothing;
    says how the file was read and how many categories the import would create."""
    options = options or ImportOptions()
    preview = ImportPreview(token=token, options=options)
    file = read_csv(_read(tenant, token), options)
    preview.dialect, preview.columns, preview.total_rows = file.dialect, file.columns, len(file.rows)
    if file.fatal:
        preview.errors, preview.fatal = file.errors, True
        return preview
    errors: list[RowError] = []
    resolver = CategoryResolver(tenant=tenant, create=options.create_categories)
    parsed = validate_rows(
        tenant=tenant, columns=file.columns, rows=file.rows, errors=errors, dialect=file.dialect, categories=resolver
    )
    preview.new_categories = resolver.count_new({row.category_path for row in parsed if row.category_path})
    preview.image_urls = sum(len(row.image_urls) for row in parsed)
    by_line: dict[int, list[RowError]] = {}
    for row_error in errors:
        by_line.setdefault(row_error.row, []).append(row_error)
    preview.errors, preview.bad_rows = errors, len(by_line)
    preview.rows = [
        PreviewRow(line=line, cells=cells, errors=by_line.get(line, [])) for line, cells in file.rows[:limit]
    ]
    return preview


def start_previewed_import(*, tenant, user, token: str, mode: str, options: ImportOptions | None = None):
    """Queue the import of a previewed file (``importer.start_import``, with the ``options`` the
    preview was read with) and drop the preview."""
    data = _read(tenant, token)
    upload = SimpleUploadedFile("import.csv", data, "text/csv")
    job = importer.start_import(tenant=tenant, user=user, upload=upload, mode=mode, options=options)
    default_storage.delete(_path(tenant, token))
    return job


def template_csv() -> bytes:
    """A CSV to fill in: every column, and a product with two variants plus a simple product."""
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer)
    example = {
        "sku": ["TEE-S", "TEE-M", "MUG-1"],
        "name": ["Linen T-shirt", "Linen T-shirt", "Stoneware Mug"],
        "price": ["24.00", "24.00", "12.50"],
        "slug": ["linen-t-shirt", "linen-t-shirt", ""],
        "description": ["Soft **linen**, cut loose.", "", "Holds 350 ml."],
        "status": ["published", "published", "draft"],
        "stock": ["10", "4", "25"],
        "options": ["size=S", "size=M", ""],
        "attributes": ["material=linen;colour=white", "", "material=stoneware"],
    }
    writer.writerow(COLUMNS)
    for index in range(3):
        writer.writerow([example.get(column, ["", "", ""])[index] for column in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
