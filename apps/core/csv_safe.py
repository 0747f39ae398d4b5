"""CSV that spreadsheets cannot run: every CSV Bazaar writes goes through this module.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula
by Excel, LibreOffice and Google Sheets (CSV/formula injection, OWASP). Text cells that start so
get a leading apostrophe, which spreadsheets show as plain text; numbers (``int``, ``Decimal``,
``float``) are written as they are, so a negative amount stays a number. Our own importers call
:func:`restore_cell` so that a file we exported imports back unchanged.

Use :func:`writer` in place of ``csv.writer`` (same arguments), or :func:`safe_row` /
:func:`safe_cell` to prepare values.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def safe_cell(value):
    """``value`` made inert for spreadsheets: text starting with a formula character gets ``'``."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return ESCAPE + text
    return text


def safe_row(row: Iterable) -> list:
    """Every cell of ``row`` through :func:`safe_cell`."""
    return [safe_cell(value) for value in row]


def restore_cell(text: str) -> str:
    """The inverse of :func:`safe_cell` for a cell read back from a CSV (for our importers)."""
    if text.startswith(ESCAPE) and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose rows are neutralised cell by cell."""

    def __init__(self, stream, *args, **kwargs):
        self._writer = csv.writer(stream, *args, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, *args, **kwargs) -> SafeWriter:
    """A CSV writer like ``csv.writer(stream, ...)`` that neutralises formula cells."""
    return SafeWriter(stream, *args, **kwargs)
