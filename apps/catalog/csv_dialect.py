"""How a product CSV is written: its encoding, its delimiter and its decimal separator, detected
from the file or chosen by the person importing it (``ImportOptions``).

Excel in most of Europe saves "CSV" as ``;``-separated, Windows-1252 (or UTF-8 with a BOM), CRLF,
with prices like ``24,90``. Detection uses the standard library only: a BOM, else strict UTF-8,
else Windows-1252; ``csv.Sniffer`` limited to ``, ; tab`` (the header's counts when it cannot
tell); a decimal comma only when some price cell is unambiguously written with one and none with a
decimal point (``validation.read_decimal_comma`` then reads every price). Each choice can be
overridden: ``auto`` means detect.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import asdict, dataclass

from apps.catalog.validation import DECIMAL_COMMA_RE, DECIMAL_POINT_RE, THOUSANDS_COMMA_RE

AUTO = "auto"
DELIMITERS = {",": "Comma-separated", ";": "Semicolon-separated", "\t": "Tab-separated"}
DELIMITER_CHOICES = {"comma": ",", "semicolon": ";", "tab": "\t"}
ENCODINGS = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
DECIMALS = {"point": "decimal point", "comma": "decimal comma"}
PRICE_COLUMNS = ("price", "compare_at_price")
SNIFF_CHARS = 16_384


@dataclass(frozen=True)
class ImportOptions:
    """What the person chose: ``auto`` (detect) or a value for each; plus "create missing categories"."""

    delimiter: str = AUTO  # auto | comma | semicolon | tab
    encoding: str = AUTO  # auto | utf-8 | cp1252
    decimal: str = AUTO  # auto | point | comma
    create_categories: bool = False

    def to_params(self) -> dict:
        """As stored in ``CatalogJob.params["options"]`` and in the preview's query string."""
        return asdict(self)


@dataclass(frozen=True)
class Dialect:
    """How the file is read: ``delimiter`` (a character), ``encoding`` (codec), ``decimal``."""

    delimiter: str = ","
    encoding: str = "utf-8"
    decimal: str = "point"

    @property
    def decimal_comma(self) -> bool:
        return self.decimal == "comma"

    def describe(self) -> str:
        """``Semicolon-separated, Windows-1252, decimal comma``."""
        return f"{DELIMITERS[self.delimiter]}, {ENCODINGS[self.encoding]}, {DECIMALS[self.decimal]}"


def read_import_options(raw) -> tuple[ImportOptions, dict]:
    """Options from a form or query dict (unknown values are errors, missing ones ``auto``)."""
    errors: dict = {}

    def pick(name: str, allowed) -> str:
        value = str(raw.get(name) or AUTO)
        if value != AUTO and value not in allowed:
            errors[name] = [f"Choose one of: {', '.join([AUTO, *allowed])}."]
            return AUTO
        return value

    options = ImportOptions(
        delimiter=pick("delimiter", DELIMITER_CHOICES),
        encoding=pick("encoding", ("utf-8", "cp1252")),
        decimal=pick("decimal", DECIMALS),
        create_categories=str(raw.get("create_categories") or "").lower() in ("1", "true", "on", "yes"),
    )
    return options, errors


def options_from_params(params: dict | None) -> ImportOptions:
    """The options a job was queued with (``CatalogJob.params["options"]``); old jobs: all auto."""
    options, _ = read_import_options((params or {}).get("options") or {})
    return options


def decode_text(data: bytes, encoding: str = AUTO) -> tuple[str, str]:
    """``(text, codec)``: a UTF-8/UTF-16 BOM wins, else strict UTF-8, else Windows-1252 (``auto``);
    or the chosen codec. Raises ``UnicodeDecodeError`` (the caller words it)."""
    if encoding == AUTO:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8"
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16"), "utf-16"
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return data.decode("cp1252"), "cp1252"
    if encoding == "utf-8":
        return data.decode("utf-8-sig"), "utf-8"
    return data.decode(encoding), encoding


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab: ``csv.Sniffer`` on the first lines, else the one the header holds most of."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # whole lines only
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def sniff_decimal(columns: list[str], rows: list[tuple[int, list[str]]]) -> str:
    """``comma`` when some price cell is written ``24,90`` / ``1.234,50`` and none ``24.90``."""
    indexes = [columns.index(column) for column in PRICE_COLUMNS if column in columns]
    comma = point = False
    for _, cells in rows:
        for index in indexes:
            cell = cells[index].strip() if index < len(cells) else ""
            comma = comma or bool(DECIMAL_COMMA_RE.match(cell) or THOUSANDS_COMMA_RE.match(cell))
            point = point or bool(DECIMAL_POINT_RE.match(cell))
        if point:
            break
    return "comma" if comma and not point else "point"
