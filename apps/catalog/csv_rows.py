"""Reading and checking product CSV files: decoding, the header, one row per variant.

Rows sharing a ``slug`` (or, without one, the slug of the ``name``) are variants of one product;
the product's fields come from the first of its rows. Every field rule is
``apps.catalog.validation``'s, so a CSV row fails with the message a form or an API call gets.
Columns: ``sku``, ``name``, ``price`` are required; the rest are ``OPTIONAL_COLUMNS``. How the
file is written (encoding, delimiter, decimal comma) is ``apps.catalog.csv_dialect``'s; category
paths are ``apps.catalog.csv_categories``'.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from apps.catalog.csv_categories import CategoryResolver, Path
from apps.catalog.csv_dialect import (
    AUTO,
    DELIMITER_CHOICES,
    Dialect,
    ImportOptions,
    decode_text,
    sniff_decimal,
    sniff_delimiter,
)
from apps.catalog.models import ProductStatus
from apps.catalog.validation import (
    SEO_LIMITS,
    add_error,
    check_compare_at_price,
    check_currency,
    clean_attributes,
    clean_description,
    clean_image_urls,
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
    "image_urls",
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
    category_path: Path | None = None  # a category to create first ("Create missing categories")
    image_urls: list[str] = field(default_factory=list)


@dataclass
class CsvFile:
    """A read file: how it was read (``None``: it could not be decoded), its header and rows,
    file-level ``errors`` (``fatal``)."""

    dialect: Dialect | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        return bool(self.errors)


def decode_csv(data: bytes, encoding: str = AUTO) -> tuple[str | None, RowError | None, str]:
    """``(text, error, codec)``: see ``csv_dialect.decode_text``; the error names the first bad byte."""
    try:
        text, codec = decode_text(data, encoding)
        return text, None, codec
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        tried = "UTF-8" if encoding == "utf-8" else "Windows-1252" if encoding == "cp1252" else "UTF-8 or Windows-1252"
        message = f"The file is not {tried} encoded (byte 0x{byte} on line {line}). Save as UTF-8."
        return None, RowError(line, "", message), encoding


def read_csv(data: bytes, options: ImportOptions | None = None) -> CsvFile:
    """Decode, sniff and read a CSV as ``options`` say (``auto``: detected), header checked."""
    options = options or ImportOptions()
    text, error, codec = decode_csv(data, options.encoding)
    if error:
        return CsvFile(errors=[error])
    delimiter = DELIMITER_CHOICES.get(options.delimiter) or sniff_delimiter(text)
    columns, rows, errors = read_rows(text, delimiter=delimiter)
    decimal = options.decimal if options.decimal != AUTO else sniff_decimal(columns, rows)
    dialect = Dialect(delimiter=delimiter, encoding=codec, decimal=decimal)
    return CsvFile(dialect=dialect, columns=columns, rows=rows, errors=errors)


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


def read_rows(text: str, delimiter: str = ",") -> tuple[list[str], list[tuple[int, list[str]]], list[RowError]]:
    """Header and rows (with their row numbers) of CSV text; header/quoting problems as errors.

    A row's number is its record's position in the file, the header being row 1: the row number a
    spreadsheet shows, also when a quoted cell spans several lines (``reader.line_num`` would count
    file lines). Blank rows count, as they do in a spreadsheet, but are not imported."""
    errors: list[RowError] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            return [], [], [RowError(1, "", "The file is empty or has no header row.")]
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((number, [csv_safe.restore_cell(cell) for cell in cells]))
            if len(rows) > MAX_ROWS:
                return header, [], [RowError(number, "", f"More than {MAX_ROWS} rows; split the file.")]
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


def validate_rows(
    *,
    tenant,
    columns: list[str],
    rows,
    errors: list[RowError],
    dialect: Dialect | None = None,
    categories: CategoryResolver | None = None,
) -> list[ParsedRow]:
    """Parsed rows that passed validation; every problem appended to ``errors``. Prices are read
    with the ``dialect``'s decimal separator; ``categories`` (default: existing ones only) may plan
    missing categories, left in ``ParsedRow.category_path``."""
    decimal_comma = (dialect or Dialect()).decimal_comma
    categories = categories or CategoryResolver(tenant=tenant, create=False)
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
        category_id, category_path = categories.resolve(raw.get("category", ""), problems)
        description = clean_description(raw.get("description"), problems)
        seo = {column: clean_seo(column, raw.get(column), problems) for column in SEO_LIMITS}
        check_currency(raw.get("currency"), tenant=tenant, errors=problems)
        price = parse_price(raw.get("price"), "price", problems, decimal_comma=decimal_comma)
        compare_at = parse_price(
            raw.get("compare_at_price"), "compare_at_price", problems, required=False, decimal_comma=decimal_comma
        )
        check_compare_at_price(price=price, compare_at_price=compare_at, errors=problems)
        stock = parse_int(raw.get("stock"), "stock", problems, default=0)
        threshold = parse_int(raw.get("low_stock_threshold"), "low_stock_threshold", problems, default=5)
        pair_errors: list[str] = []
        options = parse_pairs(raw.get("options", ""), "options", pair_errors)
        attributes = parse_pairs(raw.get("attributes", ""), "attributes", pair_errors)
        image_urls = clean_image_urls(raw.get("image_urls", ""), problems)
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
                category_path=category_path,
                image_urls=image_urls,
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
