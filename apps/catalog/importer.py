"""CSV import (upsert by SKU) and export of products with variants.

One CSV row is one variant. Rows sharing a ``slug`` (or, without one, the slug of the ``name``)
are variants of one product; the product's fields come from the first of its rows.

Columns: ``sku``, ``name``, ``price`` are required; optional ``slug``, ``description``,
``status`` (draft/published/archived, default draft), ``category`` (a category slug),
``compare_at_price``, ``currency`` (must be the shop's), ``stock``, ``low_stock_threshold``,
``options`` and ``attributes`` (``key=value;key=value``), ``seo_title``, ``seo_description``.

The import is set-based: per chunk of rows it loads what exists, upserts only new or changed
products and variants with ``bulk_create(update_conflicts=True)``, recomputes price/stock
summaries and search vectors in one UPDATE each. Importing the same file twice changes nothing
the second time (every row counts as unchanged). Live progress goes to the cache so the console
can show it while an all-or-nothing import's transaction is still open.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.catalog import search
from apps.catalog.filters import parse_product_filters
from apps.catalog.models import CatalogJob, Category, ImportMode, JobStatus, Product, ProductStatus, Variant
from apps.catalog.services import (
    MAX_DESCRIPTION,
    MAX_NAME,
    SKU_RE,
    catalog_changed,
    check_compare_at_price,
    clean_attributes,
    parse_int,
    parse_price,
    refresh_product_summaries,
)
from apps.core import csv_safe

REQUIRED_COLUMNS = ("sku", "name", "price")
OPTIONAL_COLUMNS = (
    "slug",
    "description",
    "status",
    "category",
    "compare_at_price",
    "currency",
    "stock",
    "low_stock_threshold",
    "options",
    "attributes",
    "seo_title",
    "seo_description",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
EXPORT_COLUMNS = (
    "sku",
    "name",
    "slug",
    "status",
    "category",
    "price",
    "compare_at_price",
    "currency",
    "stock",
    "low_stock_threshold",
    "options",
    "attributes",
    "description",
    "seo_title",
    "seo_description",
)
CHUNK = 2000
MAX_ROWS = 200_000
PRODUCT_UPDATE_FIELDS = [
    "name",
    "description",
    "status",
    "category",
    "attributes",
    "seo_title",
    "seo_description",
    "updated_at",
]
VARIANT_UPDATE_FIELDS = [
    "product",
    "options",
    "price",
    "compare_at_price",
    "currency",
    "stock",
    "low_stock_threshold",
    "updated_at",
]


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    line: int
    product: dict
    variant: dict


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    fatal: bool = False


# --- progress (cache) ----------------------------------------------------------------------------


def _progress_key(job_id: int) -> str:
    return f"catalog:job:{job_id}:progress"


def set_progress(job_id: int, done: int, total: int, phase: str) -> None:
    cache.set(_progress_key(job_id), {"done": done, "total": total, "phase": phase}, timeout=24 * 3600)


def get_progress(job: CatalogJob) -> dict:
    """``done``, ``total``, ``percent``, ``phase`` of a job (live from the cache while it runs)."""
    live = cache.get(_progress_key(job.pk)) if job.status in (JobStatus.PENDING, JobStatus.RUNNING) else None
    done, total = (live["done"], live["total"]) if live else (job.done_rows, job.total_rows)
    phase = live["phase"] if live else job.status
    percent = 100 if job.status in (JobStatus.DONE, JobStatus.FAILED) else (int(done * 100 / total) if total else 0)
    return {"done": done, "total": total, "percent": min(percent, 100), "phase": phase}


# --- parsing -----------------------------------------------------------------------------------


def decode_csv(data: bytes) -> tuple[str | None, RowError | None]:
    """Text of a UTF-8 CSV (BOM allowed), or the error naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        return None, RowError(line, "", f"The file is not UTF-8 encoded (byte 0x{byte} on line {line}). Save as UTF-8.")


def parse_pairs(value: str, column: str, errors: list[str]) -> dict:
    """``key=value;key=value`` into a dict (validated like product attributes)."""
    result = {}
    for part in (value or "").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            errors.append(f"{column}: write key=value pairs separated by ';' (got {part.strip()[:40]!r}).")
            continue
        key, item = part.split("=", 1)
        result[key.strip().lower()] = item.strip()
    problems: dict = {}
    cleaned = clean_attributes(result, problems, field=column)
    errors.extend(f"{column}: {message}" for message in problems.get(column, []))
    return cleaned


def format_pairs(value: dict) -> str:
    return ";".join(f"{key}={item}" for key, item in (value or {}).items())


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]], list[RowError]]:
    """Header and rows (with their line numbers) of CSV text; header/quoting problems as errors."""
    errors: list[RowError] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            return [], [], [RowError(1, "", "The file is empty or has no header row.")]
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((reader.line_num, [csv_safe.restore_cell(cell) for cell in cells]))
            if len(rows) > MAX_ROWS:
                return header, [], [RowError(reader.line_num, "", f"More than {MAX_ROWS} rows; split the file.")]
    except csv.Error as exc:
        return [], [], [RowError(reader.line_num, "", f"Broken CSV quoting near line {reader.line_num}: {exc}.")]
    columns = [cell.strip().lower() for cell in header]
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            errors.append(RowError(1, column, f"Missing required column '{column}'."))
    for column in columns:
        if column not in COLUMNS:
            errors.append(RowError(1, column, f"Unknown column '{column[:40]}'. Allowed: {', '.join(COLUMNS)}."))
    for column in {c for c in columns if columns.count(c) > 1}:
        errors.append(RowError(1, column, f"Column '{column}' appears more than once."))
    return columns, rows, errors


def validate_rows(*, tenant, columns: list[str], rows, errors: list[RowError]) -> list[ParsedRow]:
    """Parsed rows that passed validation; every problem appended to ``errors``."""
    categories = dict(Category.objects.for_tenant(tenant).values_list("slug", "id"))
    seen_skus: dict[str, int] = {}
    parsed: list[ParsedRow] = []
    width = len(columns)
    for line, cells in rows:
        if len(cells) != width:
            errors.append(RowError(line, "", f"The row has {len(cells)} fields; the header has {width}."))
            continue
        raw = {column: cell.strip() for column, cell in zip(columns, cells, strict=True)}
        problems: dict[str, list[str]] = {}
        sku = raw.get("sku", "")
        if not sku:
            problems.setdefault("sku", []).append("SKU is required.")
        elif not SKU_RE.match(sku):
            problems.setdefault("sku", []).append("Use up to 64 letters, digits and . _ - /")
        elif sku in seen_skus:
            problems.setdefault("sku", []).append(f"Duplicate SKU; already on row {seen_skus[sku]}.")
        name = raw.get("name", "")
        if not name:
            problems.setdefault("name", []).append("Name is required.")
        elif len(name) > MAX_NAME:
            problems.setdefault("name", []).append(f"At most {MAX_NAME} characters.")
        slug = slugify(raw.get("slug") or name)[:220]
        if raw.get("slug") and slug != raw["slug"]:
            problems.setdefault("slug", []).append("Use lower-case letters, digits and hyphens only.")
        elif not slug and name:
            problems.setdefault("slug", []).append("Could not make a slug; give one.")
        status = (raw.get("status") or ProductStatus.DRAFT).lower()
        if status not in ProductStatus.values:
            problems.setdefault("status", []).append(f"Choose one of: {', '.join(ProductStatus.values)}.")
        category_id = None
        if raw.get("category"):
            category_id = categories.get(raw["category"])
            if category_id is None:
                problems.setdefault("category", []).append(f"Unknown category '{raw['category'][:60]}'.")
        if len(raw.get("description", "")) > MAX_DESCRIPTION:
            problems.setdefault("description", []).append(f"At most {MAX_DESCRIPTION} characters.")
        for column, limit in (("seo_title", 70), ("seo_description", 160)):
            if len(raw.get(column, "")) > limit:
                problems.setdefault(column, []).append(f"At most {limit} characters.")
        if raw.get("currency") and raw["currency"].upper() != tenant.currency:
            problems.setdefault("currency", []).append(f"This shop sells in {tenant.currency} only.")
        price = parse_price(raw.get("price"), "price", problems)
        compare_at = parse_price(raw.get("compare_at_price"), "compare_at_price", problems, required=False)
        check_compare_at_price(price=price, compare_at_price=compare_at, errors=problems)
        stock = parse_int(raw.get("stock"), "stock", problems, default=0)
        threshold = parse_int(raw.get("low_stock_threshold"), "low_stock_threshold", problems, default=5)
        pair_errors: list[str] = []
        options = parse_pairs(raw.get("options", ""), "options", pair_errors)
        attributes = parse_pairs(raw.get("attributes", ""), "attributes", pair_errors)
        for message in pair_errors:
            column, text = message.split(": ", 1)
            problems.setdefault(column, []).append(text)
        if problems:
            for column, messages in problems.items():
                errors.extend(RowError(line, column, message) for message in messages)
            continue
        seen_skus[sku] = line
        parsed.append(
            ParsedRow(
                line=line,
                product={
                    "slug": slug,
                    "name": name,
                    "description": raw.get("description", ""),
                    "status": status,
                    "category_id": category_id,
                    "attributes": attributes,
                    "seo_title": raw.get("seo_title", ""),
                    "seo_description": raw.get("seo_description", ""),
                },
                variant={
                    "sku": sku,
                    "options": options,
                    "price": price,
                    "compare_at_price": compare_at,
                    "currency": tenant.currency,
                    "stock": stock,
                    "low_stock_threshold": threshold,
                },
            )
        )
    return parsed


# --- writing ---------------------------------------------------------------------------------


def _product_values(product: Product) -> dict:
    return {
        "name": product.name,
        "description": product.description,
        "status": product.status,
        "category_id": product.category_id,
        "attributes": product.attributes,
        "seo_title": product.seo_title,
        "seo_description": product.seo_description,
    }


def write_chunk(*, tenant, rows: list[ParsedRow], result: ImportResult) -> None:
    """Upsert one chunk of valid rows: new or changed products and variants only."""
    wanted: dict[str, dict] = {}
    for row in rows:
        wanted.setdefault(row.product["slug"], row.product)
    existing = {p.slug: p for p in Product.objects.for_tenant(tenant).filter(slug__in=list(wanted))}
    changed_slugs = set()
    upserts = []
    for slug, values in wanted.items():
        current = existing.get(slug)
        fields = {k: v for k, v in values.items() if k != "slug"}
        if current is not None and _product_values(current) == fields:
            continue
        changed_slugs.add(slug)
        upserts.append(Product(tenant=tenant, slug=slug, **fields))
    if upserts:
        Product.objects.bulk_create(
            upserts,
            update_conflicts=True,
            unique_fields=["tenant", "slug"],
            update_fields=PRODUCT_UPDATE_FIELDS,
        )
    ids = dict(Product.objects.for_tenant(tenant).filter(slug__in=list(wanted)).values_list("slug", "id"))
    current_variants = {
        v["sku"]: v
        for v in Variant.objects.for_tenant(tenant)
        .filter(sku__in=[row.variant["sku"] for row in rows])
        .values("sku", "product_id", "options", "price", "compare_at_price", "currency", "stock", "low_stock_threshold")
    }
    variant_upserts = []
    touched: set[int] = set()
    for position, row in enumerate(rows):
        product_id = ids[row.product["slug"]]
        values = {**row.variant, "product_id": product_id}
        current = current_variants.get(values["sku"])
        if current is None:
            result.created += 1
        elif {k: current[k] for k in values} == values:
            if row.product["slug"] in changed_slugs:
                result.updated += 1
            else:
                result.unchanged += 1
            continue
        else:
            result.updated += 1
            touched.add(current["product_id"])
        touched.add(product_id)
        variant_upserts.append(Variant(tenant=tenant, position=position, **values))
    if variant_upserts:
        Variant.objects.bulk_create(
            variant_upserts,
            update_conflicts=True,
            unique_fields=["tenant", "sku"],
            update_fields=VARIANT_UPDATE_FIELDS,
        )
    touched |= {ids[slug] for slug in changed_slugs}
    if touched:
        refresh_product_summaries(tenant=tenant, product_ids=sorted(touched))
        search.refresh_search_vectors(tenant_id=tenant.pk, product_ids=sorted(touched))


def import_rows(*, tenant, data: bytes, mode: str, job_id: int | None = None) -> ImportResult:
    """Validate and import CSV bytes. ``mode`` "skip" imports the good rows and reports the bad;
    "atomic" imports nothing if any row is bad. File-level problems (encoding, header, quoting)
    import nothing in either mode."""
    result = ImportResult()
    text, error = decode_csv(data)
    if error:
        result.errors.append(error)
        result.fatal = True
        return result
    columns, rows, header_errors = read_rows(text)
    result.total = len(rows)
    if header_errors:
        result.errors.extend(header_errors)
        result.fatal = True
        return result
    if job_id:
        set_progress(job_id, 0, result.total, "validating")
    parsed = validate_rows(tenant=tenant, columns=columns, rows=rows, errors=result.errors)
    if mode == ImportMode.ATOMIC and result.errors:
        result.fatal = True
        return result
    bad_rows = len({e.row for e in result.errors})
    done = bad_rows
    if mode == ImportMode.ATOMIC:
        with transaction.atomic():
            for start in range(0, len(parsed), CHUNK):
                chunk = parsed[start : start + CHUNK]
                write_chunk(tenant=tenant, rows=chunk, result=result)
                done += len(chunk)
                if job_id:
                    set_progress(job_id, done, result.total, "writing")
            catalog_changed(tenant_id=tenant.pk, reindex=False)
    else:
        for start in range(0, len(parsed), CHUNK):
            chunk = parsed[start : start + CHUNK]
            with transaction.atomic():
                write_chunk(tenant=tenant, rows=chunk, result=result)
                catalog_changed(tenant_id=tenant.pk, reindex=False)
            done += len(chunk)
            if job_id:
                set_progress(job_id, done, result.total, "writing")
    return result


def error_report_csv(errors: list[RowError]) -> bytes:
    """The error report: ``row,column,message``, one line per problem, in row order."""
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer)
    writer.writerow(["row", "column", "message"])
    for error in sorted(errors, key=lambda e: (e.row, e.column)):
        writer.writerow([error.row, error.column, error.message])
    return buffer.getvalue().encode("utf-8")


def run_import_job(*, tenant_id: int, job_id: int) -> CatalogJob | None:
    """Run an import job (idempotent: a finished job is left alone; a re-run upserts again)."""
    job = CatalogJob.objects.for_tenant(tenant_id).select_related("tenant").filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    CatalogJob.objects.for_tenant(tenant_id).filter(pk=job_id).update(status=JobStatus.RUNNING)
    with job.source.open("rb") as fh:
        data = fh.read()
    result = import_rows(tenant=job.tenant, data=data, mode=job.mode, job_id=job.pk)
    job.total_rows = result.total
    job.done_rows = result.total
    job.created_count, job.updated_count, job.unchanged_count = result.created, result.updated, result.unchanged
    job.error_count = len(result.errors)
    job.status = JobStatus.FAILED if result.fatal else JobStatus.DONE
    if result.fatal and job.mode == ImportMode.ATOMIC and result.total and not any(e.row == 1 for e in result.errors):
        job.message = "Nothing was imported: fix the rows in the error report (all-or-nothing mode)."
    elif result.fatal:
        job.message = "Nothing was imported: " + result.errors[0].message
    else:
        job.message = (
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len({e.row for e in result.errors})} rows skipped."
        )
    job.message = job.message[:500]
    if result.errors:
        job.result.save(f"import-{job.pk}-errors.csv", ContentFile(error_report_csv(result.errors)), save=False)
    job.finished_at = timezone.now()
    job.save()
    return job


def run_export_job(*, tenant_id: int, job_id: int) -> CatalogJob | None:
    """Write the CSV of the job's filtered products (one row per variant); idempotent."""
    from apps.catalog.selectors import filter_products

    job = CatalogJob.objects.for_tenant(tenant_id).select_related("tenant").filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    tenant = job.tenant
    CatalogJob.objects.for_tenant(tenant_id).filter(pk=job_id).update(status=JobStatus.RUNNING)
    filters = parse_product_filters(job.params or {})
    product_ids = filter_products(tenant=tenant, filters=filters, public=False).values("id")
    variants = (
        Variant.objects.for_tenant(tenant)
        .filter(product_id__in=product_ids)
        .order_by("product_id", "position", "id")
        .values_list(
            "sku",
            "product__name",
            "product__slug",
            "product__status",
            "product__category__slug",
            "price",
            "compare_at_price",
            "currency",
            "stock",
            "low_stock_threshold",
            "options",
            "product__attributes",
            "product__description",
            "product__seo_title",
            "product__seo_description",
        )
    )
    count = 0
    with tempfile.TemporaryFile("w+b") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv_safe.writer(text)
        writer.writerow(EXPORT_COLUMNS)
        for row in variants.iterator(chunk_size=2000):
            row = list(row)
            row[4] = row[4] or ""
            row[6] = "" if row[6] is None else row[6]
            row[10] = format_pairs(row[10])
            row[11] = format_pairs(row[11])
            writer.writerow(row)
            count += 1
            if count % 5000 == 0:
                set_progress(job.pk, count, 0, "writing")
        text.flush()
        raw.seek(0)
        job.result.save(f"export-{job.pk}.csv", File(raw), save=False)
        text.detach()
    job.total_rows = job.done_rows = count
    job.status = JobStatus.DONE
    job.message = f"{count} rows exported."
    job.finished_at = timezone.now()
    job.save()
    return job


def max_import_bytes() -> int:
    from django.conf import settings

    return getattr(settings, "CATALOG_MAX_IMPORT_BYTES", 25 * 1024 * 1024)


def start_import(*, tenant, user, upload, mode: str) -> CatalogJob:
    """Store an uploaded CSV and queue its import; checks size (413) and mode."""
    from apps.core.errors import ApplicationError
    from apps.core.outbox import enqueue_task

    if upload is None:
        raise ApplicationError("Choose a CSV file.", code="validation_error", details={"file": ["Required."]})
    limit = max_import_bytes()
    if upload.size > limit:
        raise ApplicationError(
            f"The file is larger than {limit // (1024 * 1024)} MB.", code="payload_too_large", status=413
        )
    if mode not in ImportMode.values:
        raise ApplicationError("Choose an import mode.", code="validation_error", details={"mode": ["Invalid."]})
    with transaction.atomic():
        job = CatalogJob(tenant=tenant, kind="import", mode=mode, created_by=user if user else None)
        job.source.save(f"import-{tenant.pk}.csv", upload, save=False)
        job.save()
        job_id = job.pk
        enqueue_task("catalog.import_products", tenant_id=tenant.pk, job_id=job_id)
    return job


def start_export(*, tenant, user, params: dict) -> CatalogJob:
    """Queue a CSV export of the products matching ``params`` (the console's filters)."""
    from apps.core.outbox import enqueue_task

    keep = {k: v for k, v in params.items() if k in ("q", "category", "status", "in_stock", "price_min", "price_max")}
    keep.update({k: v for k, v in params.items() if k.startswith("attr_")})
    with transaction.atomic():
        job = CatalogJob.objects.create(tenant=tenant, kind="export", created_by=user if user else None, params=keep)
        job_id = job.pk
        enqueue_task("catalog.export_products", tenant_id=tenant.pk, job_id=job_id)
    return job
