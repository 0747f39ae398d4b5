"""The variant matrix: option names and values (Size: S, M, L × Colour: red, blue) become one row
per combination, matched to the product's existing variants by their options, and the edited
grid is written in one transaction (every row valid, or nothing written).

``plan_variant_matrix`` reads; ``save_variant_matrix`` writes through ``services.create_variant``
and ``services.update_variant``, so the matrix obeys the same rules as a single variant."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from apps.catalog import services
from apps.catalog.models import Product, Variant
from apps.core.errors import ApplicationError, ErrorCode, Invalid, NotFound

MAX_OPTIONS = 3
MAX_VALUES = 20
MAX_COMBINATIONS = 100
_SKU_PART = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True)
class OptionDef:
    """One option: its key in ``Variant.options`` (``size``), its label (``Size``), its values."""

    key: str
    label: str
    values: tuple[str, ...]


def option_key(label: str) -> str:
    """``"Shoe size"`` -> ``"shoe_size"``: the key the catalog stores options under."""
    return slugify(label).replace("-", "_")[:40]


def parse_option_defs(pairs: list[tuple[str, str]]) -> list[OptionDef]:
    """Option definitions from (name, "comma, separated, values") pairs; blank pairs are skipped.
    Raises ``ApplicationError`` (400, details per ``option_<i>``) on a name without values, values
    without a name, a repeated name or value, or more than ``MAX_COMBINATIONS`` combinations."""
    errors: dict = {}
    defs: list[OptionDef] = []
    seen_keys: set[str] = set()
    for index, (label, values_text) in enumerate(pairs):
        label = (label or "").strip()
        values = [value.strip() for value in (values_text or "").split(",") if value.strip()]
        field = f"option_{index}"
        if not label and not values:
            continue
        key = option_key(label)
        if not key:
            errors[field] = ["Name this option (e.g. Size)."]
        elif key in seen_keys:
            errors[field] = [f"The option {label!r} is named twice."]
        elif not values:
            errors[field] = [f"Give {label} at least one value, separated by commas."]
        elif len({value.casefold() for value in values}) != len(values):
            errors[field] = [f"{label} has a value twice."]
        elif len(values) > MAX_VALUES or any(len(value) > 100 for value in values):
            errors[field] = [f"At most {MAX_VALUES} values of up to 100 characters."]
        seen_keys.add(key)
        defs.append(OptionDef(key=key, label=label, values=tuple(values)))
    if not defs and not errors:
        errors["option_0"] = ["Define at least one option, e.g. Size: S, M, L."]
    if len(defs) > MAX_OPTIONS:
        errors["option_0"] = [f"At most {MAX_OPTIONS} options."]
    combinations = 1
    for definition in defs:
        combinations *= max(1, len(definition.values))
    if combinations > MAX_COMBINATIONS:
        errors.setdefault("option_0", []).append(
            f"That makes {combinations} variants; the matrix makes at most {MAX_COMBINATIONS}."
        )
    if errors:
        raise Invalid(errors, message="Check the options.")
    return defs


def option_defs_of(variants: list[Variant]) -> list[OptionDef]:
    """The options the existing variants use, values in first-seen order (to prefill the editor)."""
    found: dict[str, list[str]] = {}
    for variant in variants:
        for key, value in (variant.options or {}).items():
            values = found.setdefault(key, [])
            if str(value) not in values:
                values.append(str(value))
    return [OptionDef(key=key, label=key.replace("_", " ").capitalize(), values=tuple(v)) for key, v in found.items()]


def suggest_sku(base: str, values: tuple[str, ...]) -> str:
    """``LAMP`` + (``M``, ``dark red``) -> ``LAMP-M-DARK-RED`` (at most 64 characters)."""
    parts = [base, *(_SKU_PART.sub("-", value.upper()).strip("-") for value in values)]
    return "-".join(part for part in parts if part)[:64].rstrip("-")


def plan_variant_matrix(*, product: Product, variants: list[Variant], defs: list[OptionDef]) -> list[dict]:
    """One row per combination of ``defs``: ``{"options", "label", "variant_id", "sku", "price",
    "stock"}``, with the existing variant's figures where its options match. When the product has a
    single variant without options, that variant becomes the first combination."""
    by_options = {tuple(sorted((v.options or {}).items())): v for v in variants}
    lone = variants[0] if len(variants) == 1 and not variants[0].options else None
    base_sku = _SKU_PART.sub("-", (variants[0].sku if variants else product.slug).upper()).strip("-")
    default_price = variants[0].price if variants else ""
    rows = []
    for index, values in enumerate(itertools.product(*(d.values for d in defs))):
        options = {d.key: value for d, value in zip(defs, values, strict=True)}
        variant = by_options.get(tuple(sorted(options.items())))
        if variant is None and index == 0 and lone is not None:
            variant = lone
        rows.append(
            {
                "options": options,
                "label": " / ".join(values),
                "variant_id": variant.pk if variant else None,
                "sku": variant.sku if variant and variant is not lone else suggest_sku(base_sku, values),
                "price": variant.price if variant else default_price,
                "stock": variant.stock if variant else 0,
            }
        )
    return rows


def save_variant_matrix(*, tenant, product: Product, rows: list[dict]) -> dict:
    """Create or update one variant per row (``options``, ``sku``, ``price``, ``stock``,
    ``variant_id`` or None) in one transaction. Rows the caller left out are not touched; variants
    outside the matrix are kept. Raises ``ApplicationError`` (400, ``details`` keyed ``rows[i]``)
    and writes nothing when any row is invalid. Returns ``{"created": n, "updated": n}``."""
    if product.tenant_id != tenant.pk:
        raise NotFound()
    existing = {v.pk: v for v in Variant.objects.for_tenant(tenant).filter(product=product)}
    errors: dict = {}
    skus = [str(row.get("sku") or "").strip() for row in rows]
    for index, sku in enumerate(skus):
        if sku and skus.count(sku) > 1:
            errors[f"rows[{index}]"] = {"sku": [f"SKU {sku} is used by two rows."]}
    if errors:
        raise ApplicationError("Two rows have the same SKU.", code=ErrorCode.VALIDATION_ERROR, details=errors)
    counts = {"created": 0, "updated": 0}
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                data = {key: row.get(key) for key in ("sku", "price", "stock", "options")}
                try:
                    with transaction.atomic():
                        variant = existing.get(row.get("variant_id") or 0)
                        if variant is None:
                            services.create_variant(tenant=tenant, product=product, data=data)
                            counts["created"] += 1
                        else:
                            services.update_variant(tenant=tenant, variant=variant, data=data)
                            counts["updated"] += 1
                except ApplicationError as exc:
                    errors[f"rows[{index}]"] = exc.details or {"sku": [exc.message]}
            if errors:
                raise _RollBack
    except _RollBack:
        raise ApplicationError(
            f"{len(errors)} row{'s' if len(errors) != 1 else ''} need fixing; nothing was saved.",
            code=ErrorCode.VALIDATION_ERROR,
            details=errors,
        ) from None
    return counts


class _RollBack(Exception):
    """Raised inside the matrix's transaction to undo the rows already written."""
