"""The catalog's field rules in one place: limits, patterns, messages, orderings.

The services (console forms and API), the CSV importer, the list filters, the API paginator and
the storefront's sort menu all use what is here, so a CSV row, a console form and an API call that
break the same rule fail with the same message.

Each ``clean_*`` / ``parse_*`` function takes the raw value and an ``errors`` dict (field -> list
of messages), appends what is wrong under the field and returns the cleaned value. Uniqueness
(slug, SKU) needs the database and stays with the callers.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify

from apps.catalog.models import ProductStatus

MAX_NAME = 200
MAX_SLUG = 220
MAX_DESCRIPTION = 20_000
MAX_PRICE = Decimal("9999999999.99")
MAX_STOCK = 2_000_000_000
MAX_ATTRIBUTES = 30
MAX_ATTRIBUTE_VALUE = 100
SEO_LIMITS = {"seo_title": 70, "seo_description": 160}
SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$")
ATTR_KEY_RE = re.compile(r"^[a-z0-9_]{1,40}$")
# Plain decimal text only: no exponent ("1e3"), no NaN/Infinity. Extra decimals are reported separately.
PRICE_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
# Decimal comma (CSV files saved by Excel in most of Europe): "24,90", "1234,5", and the thousands
# form "1.234,50" (dots only in groups of three, and only when a decimal comma follows).
DECIMAL_COMMA_RE = re.compile(r"^[+-]?\d+,\d{1,2}$")
THOUSANDS_COMMA_RE = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d{1,2}$")
DECIMAL_POINT_RE = re.compile(r"^[+-]?\d+\.\d{1,2}$")
# "1,234" or "1.234": a thousands group or three decimals? Never guessed.
AMBIGUOUS_GROUP_RE = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d{3})+$")
MAX_CATEGORY_NAME = 120
MAX_CATEGORY_DEPTH = 20  # the deepest category's depth (a root is 0)
CATEGORY_PATH_SEPARATOR = ">"
MAX_IMAGE_URLS = 10
MAX_IMAGE_URL = 2000
IMAGE_URL_SEPARATOR = "|"
STATUSES = tuple(ProductStatus.values)

REQUIRED_MESSAGE = "This field is required."
SKU_MESSAGE = "Use up to 64 letters, digits and . _ - /"
SLUG_MESSAGE = "Use lower-case letters, digits and hyphens only."
NO_SLUG_MESSAGE = "Could not make a slug from the name; give one."
PRICE_MESSAGE = "Enter a number, e.g. 19.99."
CATEGORY_DEPTH_MESSAGE = f"Categories nest at most {MAX_CATEGORY_DEPTH} levels deep."
DECIMAL_COMMA_MESSAGE = "Enter a number with a decimal comma, e.g. 19,99 or 1.234,50."
COMPARE_AT_MESSAGE = "Must be higher than the price (a compare-at price equal to or below the price is no discount)."

# Sort name -> ORDER BY of a product list; the id tie-break keeps pages stable. The storefront
# (page numbers), the console and the API (cursor) order the same way.
ORDERINGS: dict[str, tuple[str, ...]] = {
    "relevance": ("-rank", "-id"),
    "newest": ("-created_at", "-id"),
    "price": ("price_min", "id"),
    "-price": ("-price_min", "-id"),
    "name": ("name", "id"),
}
# Shoppers (storefront, public API) sort by the price they pay: the sale-adjusted
# ``effective_price_min`` (its own index); members (console, staff API) by the catalog price.
PUBLIC_ORDERINGS: dict[str, tuple[str, ...]] = {
    **ORDERINGS,
    "price": ("effective_price_min", "id"),
    "-price": ("-effective_price_min", "-id"),
}
SORTS = frozenset(ORDERINGS)


def ordering_for(sort: str, *, public: bool) -> tuple[str, ...]:
    """The ORDER BY of ``sort`` for shoppers (``public``: sale prices) or members (catalog prices)."""
    return (PUBLIC_ORDERINGS if public else ORDERINGS)[sort]


def price_field(*, public: bool) -> str:
    """The product column price filters and price facets use: what shoppers pay, or the catalog's."""
    return "effective_price_min" if public else "price_min"


SORT_LABELS: tuple[tuple[str, str], ...] = (
    ("relevance", "Relevance"),
    ("newest", "Newest"),
    ("price", "Price: low to high"),
    ("-price", "Price: high to low"),
    ("name", "Name"),
)


def add_error(errors: dict, field: str, message: str) -> None:
    """Append ``message`` to ``errors[field]``."""
    errors.setdefault(field, []).append(message)


def clean_name(value, errors: dict) -> str:
    """A product name: required, at most ``MAX_NAME`` characters."""
    name = str(value or "").strip()
    if not name:
        add_error(errors, "name", REQUIRED_MESSAGE)
    elif len(name) > MAX_NAME:
        add_error(errors, "name", f"At most {MAX_NAME} characters.")
    return name


def clean_slug(value, *, name: str, errors: dict) -> str:
    """A product slug as given (already a slug), or made from ``name`` when blank."""
    raw = str(value or "").strip()
    slug = slugify(raw or name)[:MAX_SLUG]
    if raw and slug != raw:
        add_error(errors, "slug", SLUG_MESSAGE)
    elif not slug and "name" not in errors:
        add_error(errors, "slug", NO_SLUG_MESSAGE)
    return slug


def slug_for(data: dict) -> str:
    """The slug a product dict stands for: its ``slug``, else the slug of its ``name``."""
    return slugify(str(data.get("slug") or data.get("name") or ""))[:MAX_SLUG]


def clean_description(value, errors: dict) -> str:
    """A product description of at most ``MAX_DESCRIPTION`` characters."""
    description = str(value or "")
    if len(description) > MAX_DESCRIPTION:
        add_error(errors, "description", f"At most {MAX_DESCRIPTION} characters.")
    return description


def clean_status(value, errors: dict) -> str:
    """A product status: one of ``STATUSES``."""
    status = str(value or "")
    if status not in STATUSES:
        add_error(errors, "status", choose_one_message(STATUSES))
    return status


def clean_seo(field: str, value, errors: dict) -> str:
    """``seo_title`` / ``seo_description`` within its limit (``SEO_LIMITS``)."""
    text = str(value or "").strip()
    limit = SEO_LIMITS[field]
    if len(text) > limit:
        add_error(errors, field, f"At most {limit} characters.")
    return text


def clean_sku(value, errors: dict) -> str:
    """A SKU's form (required, ``SKU_RE``); whether it is taken is the caller's question."""
    sku = str(value or "").strip()
    if not sku:
        add_error(errors, "sku", REQUIRED_MESSAGE)
    elif not SKU_RE.match(sku):
        add_error(errors, "sku", SKU_MESSAGE)
    return sku


def check_currency(value, *, tenant, errors: dict) -> str:
    """The tenant's currency; an error when ``value`` names another one (blank is the shop's)."""
    if value not in (None, "") and str(value).upper() != tenant.currency:
        add_error(errors, "currency", f"This shop sells in {tenant.currency} only.")
    return tenant.currency


def choose_one_message(choices) -> str:
    """``Choose one of: a, b, c.``"""
    return f"Choose one of: {', '.join(choices)}."


def ambiguous_number_message(text: str) -> str:
    """The message for ``1,234`` / ``1.234``: a thousands group or three decimals cannot be told apart."""
    return (
        f"{text[:20]!r} is ambiguous (thousands or decimals?): write {text.replace(',', '').replace('.', '')} "
        "for a whole amount, or give at most two decimals."
    )


def read_decimal_comma(text: str, field: str, errors: dict) -> str | None:
    """Decimal-comma text as plain decimal text: ``24,90`` -> ``24.90``, ``1.234,50`` -> ``1234.50``;
    plain ``24`` and ``24.90`` (a point followed by one or two digits cannot be a thousands group)
    pass. ``1,234`` and ``1.234`` are refused as ambiguous, never read as 1.234 or 1234."""
    if AMBIGUOUS_GROUP_RE.match(text):
        add_error(errors, field, ambiguous_number_message(text))
        return None
    if THOUSANDS_COMMA_RE.match(text):
        return text.replace(".", "").replace(",", ".")
    if DECIMAL_COMMA_RE.match(text):
        return text.replace(",", ".")
    if PRICE_RE.match(text):
        return text
    add_error(errors, field, DECIMAL_COMMA_MESSAGE)
    return None


def parse_price(
    value, field: str, errors: dict, *, required: bool = True, decimal_comma: bool = False
) -> Decimal | None:
    """A price from text or number: plain decimal (no exponent, NaN or Infinity), 0 ≤ price ≤ 9999999999.99,
    two decimals at most. ``decimal_comma`` (a CSV file read as decimal-comma) reads text with
    ``read_decimal_comma`` first."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            add_error(errors, field, REQUIRED_MESSAGE)
        return None
    text = str(value).strip()
    if decimal_comma:
        text = read_decimal_comma(text, field, errors)
        if text is None:
            return None
    try:
        if not PRICE_RE.match(text):
            raise InvalidOperation(text)
        price = Decimal(text)
    except (InvalidOperation, ValueError):
        add_error(errors, field, PRICE_MESSAGE)
        return None
    if not price.is_finite():
        add_error(errors, field, PRICE_MESSAGE)
    elif price < 0:
        add_error(errors, field, "Must be zero or more.")
    elif price > MAX_PRICE:
        add_error(errors, field, "Must be at most 9999999999.99.")
    elif price.as_tuple().exponent < -2:
        add_error(errors, field, "At most two decimal places.")
    else:
        return price.quantize(Decimal("0.01"))
    return None


def check_compare_at_price(*, price: Decimal | None, compare_at_price: Decimal | None, errors: dict) -> None:
    """Add an error on ``compare_at_price`` unless it is empty or strictly above ``price``, so the
    storefront never shows a fake discount. Skipped when either value is missing or already invalid."""
    if price is None or compare_at_price is None or "price" in errors or "compare_at_price" in errors:
        return
    if compare_at_price <= price:
        add_error(errors, "compare_at_price", COMPARE_AT_MESSAGE)


def parse_int(value, field: str, errors: dict, *, default: int = 0) -> int:
    """A whole number from 0 to ``MAX_STOCK`` (stock, thresholds, positions); blank is ``default``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        add_error(errors, field, "Enter a whole number.")
        return default
    if number < 0 or number > MAX_STOCK:
        add_error(errors, field, f"Must be between 0 and {MAX_STOCK}.")
        return default
    return number


def clean_attributes(value, errors: dict, field: str = "attributes") -> dict:
    """A flat dict of lower-case keys to short string values (attributes and variant options)."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        add_error(errors, field, "Give an object of attribute names to values.")
        return {}
    cleaned = {}
    for key, item in value.items():
        if not ATTR_KEY_RE.match(str(key)):
            add_error(errors, field, f"Bad attribute name {str(key)[:40]!r}: use a-z, 0-9 and _.")
            continue
        if isinstance(item, dict | list) or item is None or len(str(item)) > MAX_ATTRIBUTE_VALUE:
            add_error(errors, field, f"Attribute {key!r} must be a short text value.")
            continue
        cleaned[str(key)] = str(item)
    if len(cleaned) > MAX_ATTRIBUTES:
        add_error(errors, field, f"At most {MAX_ATTRIBUTES} attributes.")
    return cleaned


def unknown_category_message(value: str) -> str:
    """A CSV row's category that does not exist (and is not to be created)."""
    return f"Unknown category: {value[:60]}. Create it first, or import with “Create missing categories”."


def clean_category_path(value, errors: dict, field: str = "category") -> list[str]:
    """``Home > Lamps > Desk`` as its names, root first (one name: a slug or a name). Each name at
    most ``MAX_CATEGORY_NAME`` characters, no deeper than ``MAX_CATEGORY_DEPTH``, no empty step."""
    text = str(value or "").strip()
    if not text:
        return []
    names = [name.strip() for name in text.split(CATEGORY_PATH_SEPARATOR)]
    if any(not name for name in names):
        add_error(errors, field, "Empty step in the category path: write names separated by ' > '.")
        return []
    if len(names) > MAX_CATEGORY_DEPTH + 1:
        add_error(errors, field, CATEGORY_DEPTH_MESSAGE)
        return []
    for name in names:
        if len(name) > MAX_CATEGORY_NAME:
            add_error(errors, field, f"Category names: at most {MAX_CATEGORY_NAME} characters.")
            return []
    return names


def clean_image_urls(value, errors: dict, field: str = "image_urls") -> list[str]:
    """Image URLs separated by ``|``: each http(s) with a host, at most ``MAX_IMAGE_URLS``.
    Whether the host may be fetched (no private addresses) is decided when it is fetched."""
    urls = [part.strip() for part in str(value or "").split(IMAGE_URL_SEPARATOR) if part.strip()]
    if len(urls) > MAX_IMAGE_URLS:
        add_error(errors, field, f"At most {MAX_IMAGE_URLS} image URLs per product.")
        return []
    for url in urls:
        scheme, _, rest = url.partition("://")
        if scheme.lower() not in ("http", "https") or not rest or rest.startswith("/"):
            add_error(errors, field, f"Not an http(s) URL: {url[:60]!r}.")
            return []
        if len(url) > MAX_IMAGE_URL or any(ch.isspace() for ch in url):
            add_error(errors, field, f"Not a usable URL (too long or with spaces): {url[:60]!r}.")
            return []
    return list(dict.fromkeys(urls))
