"""Choosing a variant on the product page: one group per option ("Size", "Colour") with its
values in natural order (XS < S < M < L < XL, 40 < 44 < 45), the chosen variant's values
checked, values that make no existing combination with the other chosen values disabled, and
values whose only combination is sold out marked so. Plain data: the page's cached fragment is
keyed by the chosen variant alone."""

from __future__ import annotations

import re

SIZE_ORDER = ["xxxs", "xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "4xl", "5xl"]
SIZE_ALIASES = {"2xs": "xxs", "3xs": "xxxs", "2xl": "xxl", "3xl": "xxxl", "small": "s", "medium": "m", "large": "l"}
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)")
OPTION_PREFIX = "opt_"


def option_sort_key(value: str) -> tuple:
    """Sizes in size order, then numbers by value (``38``, ``40.5``, ``44 EU``), then the rest by name."""
    text = str(value).strip().lower()
    size = SIZE_ALIASES.get(text, text)
    if size in SIZE_ORDER:
        return (0, SIZE_ORDER.index(size), 0.0, text)
    number = _NUMBER.match(text)
    if number:
        return (1, 0, float(number.group(1).replace(",", ".")), text)
    return (2, 0, 0.0, text)


def option_names(variants: list[dict]) -> list[str]:
    """The option names of a product's variants in first-seen order; empty when a choice by
    option is not possible (one variant, or a variant without options)."""
    if len(variants) < 2 or any(not v["options"] for v in variants):
        return []
    names: list[str] = []
    for variant in variants:
        names.extend(name for name in variant["options"] if name not in names)
    return names


def pick_variant(variants: list[dict], *, sku: str = "", chosen: dict[str, str] | None = None) -> dict | None:
    """The variant asked for: by ``sku``; else the one matching the ``chosen`` option values
    best (all of them if one exists, in stock preferred); else the first in stock, else the first."""
    if not variants:
        return None
    by_sku = next((v for v in variants if sku and v["sku"] == sku), None)
    if by_sku:
        return by_sku
    if chosen:

        def score(variant):
            matches = sum(1 for name, value in chosen.items() if str(variant["options"].get(name)) == value)
            return (matches, variant["stock"] > 0)

        best = max(variants, key=score)  # max keeps the first of equal scores: the catalog's order
        if score(best)[0]:
            return best
    return next((v for v in variants if v["stock"] > 0), variants[0])


def chosen_options(querydict) -> dict[str, str]:
    """``opt_<name>=<value>`` parameters of a request, as ``{name: value}``."""
    return {
        key[len(OPTION_PREFIX) :]: str(value)[:100]
        for key, value in querydict.items()
        if key.startswith(OPTION_PREFIX) and value
    }


def build_option_groups(variants: list[dict], selected: dict | None) -> list[dict]:
    """One group per option: ``{"name", "label", "field", "values": [{"value", "checked",
    "disabled", "sold_out"}]}`` relative to the ``selected`` variant."""
    names = option_names(variants)
    if not names or selected is None:
        return []
    current = {name: str(selected["options"].get(name, "")) for name in names}
    groups = []
    for name in names:
        values = sorted({str(v["options"][name]) for v in variants if name in v["options"]}, key=option_sort_key)
        entries = []
        for value in values:
            wanted = {**current, name: value}
            matches = [v for v in variants if all(str(v["options"].get(n, "")) == wanted[n] for n in names)]
            entries.append(
                {
                    "value": value,
                    "checked": value == current[name],
                    "disabled": not matches,
                    "sold_out": bool(matches) and all(v["stock"] <= 0 for v in matches),
                }
            )
        label = name.replace("_", " ").capitalize()
        groups.append({"name": name, "label": label, "field": OPTION_PREFIX + name, "values": entries})
    return groups
