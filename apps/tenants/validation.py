"""Input rules for tenants: slugs, names, currencies, time zones, roles and emails.

Each ``validate_*`` function returns the cleaned value or raises Django's ``ValidationError``
with a message a person can act on (the API turns it into the error shape, forms show it beside
the field).
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email as django_validate_email

from apps.tenants.roles import Role

SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 50
NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Words that are, or may become, paths or host names of the platform itself.
RESERVED_SLUGS: frozenset[str] = frozenset(
    {
        "a", "s", "t", "u", "admin", "administrator", "api", "static", "media", "accounts", "account",
        "healthz", "readyz", "metrics", "www", "mail", "email", "help", "support", "docs", "status",
        "login", "logout", "signup", "register", "auth", "oauth", "tenants", "tenant", "invitations",
        "invitation", "settings", "dashboard", "console", "shop", "shops", "store", "root", "system",
        "bazaar", "null", "none", "undefined", "new", "edit", "delete", "assets", "cdn", "public",
    }
)  # fmt: skip

# The currencies most shops choose, offered first.
COMMON_CURRENCIES: tuple[str, ...] = (
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "SEK",
    "DKK",
    "NOK",
    "PLN",
    "CZK",
    "CAD",
    "AUD",
    "JPY",
)

# Active ISO 4217 currency codes (funds and precious metals left out).
CURRENCIES: tuple[str, ...] = (
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF",
    "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB",
    "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG",
    "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF",
    "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA",
    "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN",
    "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX",
    "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW",
    "ZWG",
)  # fmt: skip


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """The IANA time zone names this machine knows, sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_slug(value: str) -> str:
    """A tenant slug: lowercase ASCII letters, digits and single hyphens, 3-50 chars, not reserved."""
    slug = (value or "").strip()
    if not slug:
        raise ValidationError("Choose an address for the shop.", code="required")
    if len(slug) < SLUG_MIN_LENGTH or len(slug) > SLUG_MAX_LENGTH:
        raise ValidationError(
            f"The address must be {SLUG_MIN_LENGTH} to {SLUG_MAX_LENGTH} characters long.", code="slug_length"
        )
    if not SLUG_PATTERN.fullmatch(slug):
        raise ValidationError(
            "Use only lowercase letters a-z, digits and single hyphens (not at the start or end).",
            code="slug_invalid",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(f"The address “{slug}” is reserved. Choose another.", code="slug_reserved")
    return slug


def suggest_slug(name: str) -> str:
    """An address made from a shop's name ("Café Zoë & Co." -> "cafe-zoe-co"); the page script does the same.

    Not checked for uniqueness or reservation: ``validate_slug`` and the service do that.
    """
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_MAX_LENGTH].strip("-")
    return slug if len(slug) >= SLUG_MIN_LENGTH else (slug + "-shop").strip("-")


def validate_name(value: str) -> str:
    """A display name: 1-100 printable characters after trimming."""
    name = unicodedata.normalize("NFC", (value or "").strip())
    if not name:
        raise ValidationError("Give the shop a name.", code="required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"The name can be at most {NAME_MAX_LENGTH} characters long.", code="name_length")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError("The name contains control or invisible characters.", code="name_invalid")
    return name


def validate_currency(value: str) -> str:
    """An active ISO 4217 code (upper-cased)."""
    code = (value or "").strip().upper()
    if code not in CURRENCIES:
        raise ValidationError(f"“{value}” is not an ISO 4217 currency code such as EUR or USD.", code="currency")
    return code


def validate_time_zone(value: str) -> str:
    """An IANA time zone name such as ``Europe/Paris``."""
    name = (value or "").strip()
    if name not in time_zone_names():
        raise ValidationError(f"“{value}” is not an IANA time zone such as Europe/Paris.", code="time_zone")
    return name


def validate_role(value: str) -> str:
    """One of the roles in :class:`apps.tenants.roles.Role`."""
    if value not in Role.values:
        raise ValidationError(f"“{value}” is not a role. Choose one of: {', '.join(Role.values)}.", code="role_unknown")
    return value


def validate_invite_email(value: str) -> str:
    """A well-formed email of at most 254 characters, lower-cased."""
    email = (value or "").strip().lower()
    if not email:
        raise ValidationError("Enter the email address to invite.", code="required")
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError(f"An email address can be at most {EMAIL_MAX_LENGTH} characters long.", code="email")
    try:
        django_validate_email(email)
    except ValidationError:
        raise ValidationError("Enter a valid email address.", code="email") from None
    return email


COLOUR_RE = re.compile(r"^#[0-9a-f]{6}$")
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for normal text


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of white on ``colour`` (1 to 21)."""
    return 1.05 / (relative_luminance(colour) + 0.05)


def validate_theme_colour(value: str) -> str:
    """``#rrggbb`` (lower-cased; ``#abc`` is expanded) dark enough for white text and for links
    on white (contrast >= 4.5:1), or "" for the default theme."""
    colour = (value or "").strip().lower()
    if not colour:
        return ""
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        colour = "#" + "".join(c * 2 for c in colour[1:])
    if not COLOUR_RE.match(colour):
        raise ValidationError(f"“{value[:20]}” is not a colour: write it as #rrggbb, e.g. #1f4fd1.", code="colour")
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            f"{colour} is too light for white text and for links on white (contrast {ratio:.1f}:1, at least "
            f"{MIN_CONTRAST}:1 is needed): choose a darker shade.",
            code="colour_contrast",
        )
    return colour


def validate_tagline(value: str) -> str:
    """One line of at most 160 characters (surrounding spaces dropped)."""
    text = " ".join((value or "").split())
    if len(text) > 160:
        raise ValidationError("At most 160 characters.", code="tagline")
    return text


DOMAIN_MAX_LENGTH = 253
DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def platform_hosts() -> set[str]:
    """Host names of the platform itself (``SITE_URL``'s, ``PLATFORM_HOSTS``): never a shop's domain."""

    hosts = {urlsplit(settings.SITE_URL).hostname or "", "localhost", "127.0.0.1", "testserver"}
    hosts.update(host.lower() for host in getattr(settings, "PLATFORM_HOSTS", []))
    return {host for host in hosts if host}


def normalise_domain(value: str) -> str:
    """``"Shop.Example.COM."`` -> ``"shop.example.com"`` (lower case, no trailing dot, IDNA for
    non-ASCII names); no validation."""
    text = (value or "").strip().lower().rstrip(".")
    try:
        return text.encode("idna").decode("ascii") if text and not text.isascii() else text
    except UnicodeError:
        return text


def validate_domain(value: str) -> str:
    """A shop's own host name: a full domain (at least two labels, letters, digits and hyphens,
    not an IP address, no port or path), never one of the platform's own hosts."""
    domain = normalise_domain(value)
    if not domain:
        return domain
    labels = domain.split(".")
    if (
        len(domain) > DOMAIN_MAX_LENGTH
        or len(labels) < 2
        or not all(DOMAIN_LABEL.match(label) for label in labels)
        or labels[-1].isdecimal()
    ):
        raise ValidationError("Enter a host name such as shop.example.com (no https://, port or path).")
    if domain in platform_hosts():
        raise ValidationError("That is Bazaar's own address, not a shop's.")
    return domain
