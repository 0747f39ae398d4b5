"""The one interface every payment provider implements, and the values that cross it.

A provider is stateless: it gets the tenant's settings (a ``PaymentProviderConfig`` or anything
with the same attributes) and plain values, talks to the outside world if it must, and answers
with a :class:`ProviderResult`. It never touches our database and never runs inside a transaction
that holds a row lock (the services call it outside one). Amounts are ``Decimal`` in the order's
currency; only a provider converts them to minor units, at its own edge (:func:`to_minor_units`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import get_currency_precision

from apps.core.errors import ApplicationError, ErrorCode
from apps.core.money import to_minor_units  # noqa: F401  (re-exported: the one conversion, used at the provider edge)


class PaymentStatus:
    """A payment's own status (one attempt to collect money for an order)."""

    PENDING = "pending"  # created, waiting for the shopper / the bank / the courier
    AUTHORISED = "authorised"  # the card is authorised, not captured
    SUCCEEDED = "succeeded"  # money received
    FAILED = "failed"  # this attempt failed; the shopper may try again
    CANCELLED = "cancelled"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"

    CHOICES = [
        (PENDING, "Pending"),
        (AUTHORISED, "Authorised"),
        (SUCCEEDED, "Succeeded"),
        (FAILED, "Failed"),
        (CANCELLED, "Cancelled"),
        (PARTIALLY_REFUNDED, "Partially refunded"),
        (REFUNDED, "Refunded"),
    ]


class ProviderError(ApplicationError):
    """The provider refused or could not be reached (502): nothing of ours was changed."""

    default_status = 502
    default_code = ErrorCode.PROVIDER_ERROR


class InvalidWebhook(ApplicationError):
    """A webhook whose signature or timestamp does not check out (400): it changes nothing."""

    default_status = 400
    default_code = ErrorCode.INVALID_SIGNATURE


@dataclass(frozen=True)
class ChargeRequest:
    """What to collect: the order's reference, amount and currency, and the idempotency key."""

    reference: str  # the order number (bank transfer reference, Stripe metadata)
    amount: Decimal
    currency: str
    idempotency_key: str
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderResult:
    """A provider's answer: its reference for the payment and the payment status it implies."""

    status: str
    reference: str = ""
    client_secret: str = ""
    message: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class WebhookNotice:
    """A verified webhook, reduced to what we apply: which payment, and the status it reports."""

    event_id: str
    type: str
    reference: str  # the provider's payment reference (a PaymentIntent id)
    status: str | None  # the payment status it implies, or None for an event we do not act on
    created: int = 0
    amount_refunded: Decimal | None = None
    data: dict = field(default_factory=dict)


class PaymentProvider(ABC):
    """One way of collecting money. Subclasses set the class attributes and the five operations."""

    code: str = ""
    label: str = ""
    description: str = ""
    holds_stock_until_paid: bool = False  # card payments: unpaid orders expire and release stock
    manual: bool = False  # staff record the payment themselves ("mark paid")
    needs_keys: bool = False  # the console must hold a secret key before it can be enabled

    @abstractmethod
    def initiate(self, *, config, charge: ChargeRequest) -> ProviderResult:
        """Start collecting ``charge``; idempotent for the same ``charge.idempotency_key``."""

    @abstractmethod
    def capture(
        self, *, config, reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ProviderResult:
        """Collect an authorised (or, for manual providers, a received) payment."""

    @abstractmethod
    def refund(self, *, config, reference: str, amount: Decimal, currency: str, idempotency_key: str) -> ProviderResult:
        """Give ``amount`` back."""

    @abstractmethod
    def cancel(self, *, config, reference: str, idempotency_key: str) -> ProviderResult:
        """Stop a payment that has not been collected."""

    @abstractmethod
    def parse_webhook(self, *, config, payload: bytes, headers: dict) -> WebhookNotice:
        """Verify and read a webhook; raise :class:`InvalidWebhook` if it cannot be trusted."""


def from_minor_units(value: int, currency: str) -> Decimal:
    """The inverse of ``apps.core.money.to_minor_units``: ``2400, "EUR"`` -> ``Decimal("24.00")``."""
    digits = get_currency_precision(currency.upper())
    return (Decimal(int(value)) / (Decimal(10) ** digits)).quantize(Decimal(1).scaleb(-digits))
