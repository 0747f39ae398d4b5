"""Reading and checking product CSV files: decoding, the header, one row per variant.

Rows sharing a ``slug`` (or, without one, the slug of the ``name``) are variants of one product;
the product's fields come from the first of its rows. Every field rule is
``apps.catalog.validation``'s, so a CSV row fails with the message a form or an API call gets.
Columns: ``sku``, ``name``, ``price`` are required; the rest are ``OPTIONAL_COLUMNS``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from apps.catalog.models import Category, ProductStatus
from apps.catalog.validation import (
    SEO_LIMITS,
    add_error,
    check_compare_at_price,
    check_currency,
    clean_attributes,
    clean_description,
    clean_name,
    clean_seo,
    clean_sku,
    clean_slug,
    clean_status,
    parse_int,
    parse_price,
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
MAX_ROWS = 200_000


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
        sku = clean_sku(raw.get("sku"), problems)
        if "sku" not in problems and sku in seen_skus:
            add_error(problems, "sku", f"Duplicate SKU; already on row {seen_skus[sku]}.")
        name = clean_name(raw.get("name"), problems)
        slug = clean_slug(raw.get("slug"), name=name, errors=problems)
        status = clean_status((raw.get("status") or ProductStatus.DRAFT).lower(), problems)
        category_id = None
        if raw.get("category"):
            category_id = categories.get(raw["category"])
            if category_id is None:
                add_error(problems, "category", f"Unknown category: {raw['category'][:60]}.")
        description = clean_description(raw.get("description"), problems)
        seo = {column: clean_seo(column, raw.get(column), problems) for column in SEO_LIMITS}
        check_currency(raw.get("currency"), tenant=tenant, errors=problems)
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
                    "description": description,
                    "status": status,
                    "category_id": category_id,
                    "attributes": attributes,
                    **seo,
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


def error_report_csv(errors: list[RowError]) -> bytes:
    """The error report: ``row,column,message``, one line per problem, in row order."""
    buffer = io.StringIO()
    writer = csv_safe.writer(buffer)
    writer.writerow(["row", "column", "message"])
    for error in sorted(errors, key=lambda e: (e.row, e.column)):
        writer.writerow([error.row, error.column, error.message])
    return buffer.getvalue().encode("utf-8")
