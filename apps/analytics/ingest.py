"""Validation and normalisation of incoming event batches (no I/O except the cache).

One bad event never fails the batch: each event is accepted or rejected with a reason. Only a
malformed batch (not a list, empty, more than 100 events, bad ``sent_at``) fails as a whole.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC as dt_utc
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.analytics.models import BEACON_EVENT_TYPES, EventType
from apps.core.errors import ApplicationError, ErrorCode, Invalid

MAX_BATCH = 100
MAX_PROPS_KEYS = 20
MAX_PROP_KEY_LENGTH = 40
MAX_PROP_VALUE_LENGTH = 200
MAX_PROPS_BYTES = 2048
MAX_URL_LENGTH = 512
MAX_QUERY_LENGTH = 200
MAX_PRODUCT_REF_LENGTH = 64
MAX_RESULTS_COUNT = 2**31 - 1  # the column is a PostgreSQL integer
MAX_FUTURE = timedelta(days=1)
EVENT_TYPES = set(BEACON_EVENT_TYPES)  # purchases are recorded by the server only
MAX_CART_QUANTITY = 10_000
NEEDS_PRODUCT = {
    EventType.PRODUCT_VIEW: "A product_view needs a product.",
    EventType.ADD_TO_CART: "An add_to_cart needs a product.",
}


def max_event_age() -> timedelta:
    """How old (after skew correction) an event may be and still be accepted."""
    return timedelta(days=settings.ANALYTICS_MAX_EVENT_AGE_DAYS)


@dataclass
class Rejection:
    index: int
    event_id: str | None
    reason: str
    message: str

    def as_dict(self) -> dict:
        return {"index": self.index, "event_id": self.event_id, "reason": self.reason, "message": self.message}


@dataclass
class ParsedBatch:
    """The events that passed validation (as stream-ready dicts) and the rejections."""

    events: list[dict] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skew_seconds: float = 0.0


class EventRejected(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def parse_time(value, *, name: str) -> datetime:
    """An aware datetime from an ISO 8601 string; naive times are taken as UTC."""
    if not isinstance(value, str) or not value:
        raise EventRejected(f"invalid_{name}", f"{name} must be an ISO 8601 date-time string.")
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise EventRejected(f"invalid_{name}", f"{name} is not a valid ISO 8601 date-time.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt_utc)
    try:
        return parsed.astimezone(dt_utc)
    except OverflowError:  # e.g. 0001-01-01T00:00+05:00 is before the first representable instant
        raise EventRejected(f"invalid_{name}", f"{name} is outside the years 1 to 9999 in UTC.") from None


def batch_events(payload) -> tuple[list, str | None]:
    """The list of raw events and the batch ``sent_at`` from a request body; errors in the shape."""
    if isinstance(payload, list):
        events, sent_at = payload, None
    elif isinstance(payload, dict):
        events, sent_at = payload.get("events"), payload.get("sent_at")
    else:
        raise ApplicationError("The body must be a JSON object with an 'events' list.", code=ErrorCode.VALIDATION_ERROR)
    if not isinstance(events, list):
        raise Invalid({"events": ["Expected a list."]}, message="'events' must be a list of events.")
    if not 1 <= len(events) <= MAX_BATCH:
        raise Invalid(
            {"events": [f"Send between 1 and {MAX_BATCH} events per batch."]},
            message=f"A batch holds 1 to {MAX_BATCH} events; this one has {len(events)}.",
        )
    return events, sent_at


def parse_batch(payload, *, now: datetime | None = None) -> ParsedBatch:
    """Validate a batch: skew-correct each event by ``now - sent_at``, accept or reject each one."""
    now = now or timezone.now()
    events, sent_at = batch_events(payload)
    skew = timedelta(0)
    if sent_at is not None:
        try:
            skew = now - parse_time(sent_at, name="sent_at")
        except EventRejected as exc:
            raise Invalid({"sent_at": [exc.message]}, message=exc.message) from None
    result = ParsedBatch(skew_seconds=skew.total_seconds())
    oldest = now - max_event_age()
    for index, raw in enumerate(events):
        event_id = raw.get("event_id") if isinstance(raw, dict) else None
        try:
            event = normalise_event(raw)
            occurred_at = skew_corrected(parse_time(raw.get("occurred_at"), name="occurred_at"), skew)
            if occurred_at > now + MAX_FUTURE:
                raise EventRejected("in_future", "occurred_at is more than a day in the future.")
            if occurred_at < oldest:
                raise EventRejected("too_old", f"occurred_at is older than {max_event_age().days} days.")
            event["occurred_at"] = occurred_at.isoformat()
            result.events.append(event)
        except EventRejected as exc:
            result.rejected.append(
                Rejection(index, event_id if isinstance(event_id, str) else None, exc.reason, exc.message)
            )
    return result


def skew_corrected(occurred_at: datetime, skew: timedelta) -> datetime:
    """``occurred_at`` moved by the batch's clock skew; an event the correction moves outside the
    calendar (a ``sent_at`` centuries away from its events) is rejected, not a server error."""
    try:
        return occurred_at + skew
    except OverflowError:
        raise EventRejected("invalid_occurred_at", "occurred_at is out of range once corrected by sent_at.") from None


def normalise_event(raw) -> dict:
    """Check and trim one event's fields (everything but its time). Raises ``EventRejected``."""
    if not isinstance(raw, dict):
        raise EventRejected("invalid_event", "Each event must be a JSON object.")
    try:
        event_id = str(uuid.UUID(str(raw.get("event_id"))))
    except (ValueError, TypeError):
        raise EventRejected("invalid_event_id", "event_id must be a UUID.") from None
    event_type = raw.get("type")
    if event_type not in EVENT_TYPES:
        raise EventRejected("invalid_type", f"type must be one of {', '.join(sorted(EVENT_TYPES))}.")
    url, host = _clean_url(raw.get("url"))
    event = {
        "event_id": event_id,
        "type": event_type,
        "url": url,
        "referrer": _clean_referrer(raw.get("referrer"), own_host=host),
        "product_ref": "",
        "query": "",
        "results_count": None,
        "props": _clean_props(raw.get("props")),
    }
    product = raw.get("product")
    if product is not None:
        if not isinstance(product, str | int) or isinstance(product, bool):
            raise EventRejected("invalid_product", "product must be a product id or SKU.")
        product = str(product).strip()
        if not product or len(product) > MAX_PRODUCT_REF_LENGTH:
            raise EventRejected("invalid_product", f"product must be 1 to {MAX_PRODUCT_REF_LENGTH} characters.")
        event["product_ref"] = product
    if event_type in NEEDS_PRODUCT and not event["product_ref"]:
        raise EventRejected("missing_product", NEEDS_PRODUCT[event_type])
    if event_type == EventType.ADD_TO_CART:
        _check_quantity(event["props"])
    if event_type == EventType.SEARCH:
        query = raw.get("query")
        if not isinstance(query, str) or not query.strip():
            raise EventRejected("missing_query", "A search needs a query.")
        event["query"] = " ".join(query.lower().split())[:MAX_QUERY_LENGTH]
        count = raw.get("results_count")
        if count is not None:
            if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_RESULTS_COUNT:
                raise EventRejected(
                    "invalid_results_count", f"results_count must be a whole number from 0 to {MAX_RESULTS_COUNT}."
                )
            event["results_count"] = count
    return event


def _check_quantity(props: dict) -> None:
    """An add_to_cart's ``props.quantity``, when sent, is a whole number from 1 to 10,000."""
    if "quantity" not in props:
        return
    quantity = props["quantity"]
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_CART_QUANTITY:
        raise EventRejected("invalid_quantity", f"props.quantity must be a whole number from 1 to {MAX_CART_QUANTITY}.")


def _clean_url(value) -> tuple[str, str]:
    """The path of the page (no query string or fragment: they may carry personal data) and its host."""
    if value in (None, ""):
        return "", ""
    if not isinstance(value, str) or len(value) > 2048:
        raise EventRejected("invalid_url", "url must be a string of at most 2048 characters.")
    value = value.strip()
    parts = urlsplit(value)
    is_web_url = parts.scheme in ("http", "https") and bool(parts.netloc)
    if not is_web_url and not (not parts.scheme and value.startswith("/")):
        raise EventRejected("invalid_url", "url must be an http(s) URL or a path starting with /.")
    return (parts.path or "/")[:MAX_URL_LENGTH], (parts.hostname or "")


def _clean_referrer(value, *, own_host: str) -> str:
    """Only the referring site's host, and nothing for internal navigation."""
    if not value or not isinstance(value, str):
        return ""
    host = (urlsplit(value.strip()).hostname or "")[:255]
    return "" if host == own_host else host


def _clean_props(value) -> dict:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise EventRejected("invalid_props", "props must be an object.")
    if len(value) > MAX_PROPS_KEYS:
        raise EventRejected("props_too_large", f"props may hold at most {MAX_PROPS_KEYS} keys.")
    for key, item in value.items():
        if not isinstance(key, str) or not key or len(key) > MAX_PROP_KEY_LENGTH:
            raise EventRejected("invalid_props", f"props keys are 1 to {MAX_PROP_KEY_LENGTH} characters.")
        if isinstance(item, str) and len(item) > MAX_PROP_VALUE_LENGTH:
            raise EventRejected("props_too_large", f"props values are at most {MAX_PROP_VALUE_LENGTH} characters.")
        if item is not None and not isinstance(item, str | int | float | bool):
            raise EventRejected("invalid_props", "props values must be strings, numbers, booleans or null.")
        if isinstance(item, float) and not math.isfinite(item):
            raise EventRejected("invalid_props", "props numbers must be finite.")
    if len(json.dumps(value, separators=(",", ":"))) > MAX_PROPS_BYTES:
        raise EventRejected("props_too_large", f"props may take at most {MAX_PROPS_BYTES} bytes.")
    return value
