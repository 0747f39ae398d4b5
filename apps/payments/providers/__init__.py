"""The payment providers, by code. ``get_provider("stripe")`` -> the provider instance."""

from __future__ import annotations

from apps.core.errors import ErrorCode, NotFound
from apps.payments.providers.base import PaymentProvider
from apps.payments.providers.offline import BankTransferProvider, CashOnDeliveryProvider
from apps.payments.providers.stripe import StripeProvider

PROVIDERS: dict[str, PaymentProvider] = {
    provider.code: provider for provider in (BankTransferProvider(), CashOnDeliveryProvider(), StripeProvider())
}


def get_provider(code: str) -> PaymentProvider:
    """The provider registered as ``code``; :class:`NotFound` for anything else."""
    try:
        return PROVIDERS[code]
    except KeyError:
        raise NotFound(f"Unknown payment provider {code!r}.", code=ErrorCode.NOT_FOUND) from None


def list_providers() -> list[PaymentProvider]:
    """Every provider, in the order the console and checkout show them."""
    return list(PROVIDERS.values())
