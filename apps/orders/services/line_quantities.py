"""Reading "which lines, how many units" from staff input, the same way for shipments, returns and
refunds: a list of ``{"line_id": int, "quantity": int}`` (or a ``{line_id: quantity}`` mapping)."""

from __future__ import annotations

from collections.abc import Callable

from apps.core.errors import Invalid

MAX_LINES = 500


def _whole(value, *, text_ok: bool) -> int | None:
    """A whole number >= 0: a JSON integer, or (forms only) its digits as text; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**9 else None
    if not text_ok or not isinstance(value, str):
        return None
    text = value.strip()
    return int(text) if text.isdecimal() and len(text) < 10 else None


def parse_line_quantities(raw, *, lines: dict, limit: Callable, limit_text: str) -> dict[int, int]:
    """``{line_id: quantity}`` for the order's ``lines`` (id -> OrderLine), each 1 to ``limit(line)``.

    ``raw`` is a JSON list of ``{"line_id": int, "quantity": int}`` (the API) or a form's mapping of
    id text to digits (the console; ``{int: int}`` from code too).

    Zero quantities are dropped (a form sends every line); an unknown line, a quantity that is not
    a whole number or is over the limit is :class:`Invalid` (``details.lines``), and so is nothing
    at all. ``limit_text`` ends the over-limit message ("can still be shipped").
    """
    text_ok = isinstance(raw, dict)  # a form's {"<line id>": "<digits>"}; a JSON list has integers
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        items = []
        for item in raw:
            if not isinstance(item, dict):
                raise Invalid({"lines": ['Send each line as {"line_id": ..., "quantity": ...}.']})
            items.append((item.get("line_id"), item.get("quantity")))
    else:
        raise Invalid({"lines": ['Send a list of {"line_id": ..., "quantity": ...}.']})
    if len(items) > MAX_LINES:
        raise Invalid({"lines": [f"At most {MAX_LINES} lines at once."]})
    chosen: dict[int, int] = {}
    errors: list[str] = []
    for raw_id, raw_quantity in items:
        line_id, quantity = _whole(raw_id, text_ok=text_ok), _whole(raw_quantity, text_ok=text_ok)
        line = lines.get(line_id) if line_id is not None else None
        if line is None:
            errors.append(f"Line {str(raw_id)[:20]} is not a line of this order.")
        elif quantity is None:
            errors.append(f"{line.sku}: enter a whole number of units.")
        elif chosen.get(line_id, 0) + quantity > limit(line):
            errors.append(f"{line.sku}: only {limit(line)} {limit_text}.")
        elif quantity:
            chosen[line_id] = chosen.get(line_id, 0) + quantity
    if errors:
        raise Invalid({"lines": errors})
    if not chosen:
        raise Invalid({"lines": ["Choose at least one unit."]})
    return chosen
