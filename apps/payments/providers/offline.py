"""Providers where no network is involved: bank transfer and cash on delivery.

Money arrives outside Bazaar (on the shop's bank account, in the courier's hand); staff record it
with "mark paid" in the console, which is this provider's :meth:`capture`.
"""

from __future__ import annotations

from decimal import Decimal

from apps.core.errors import Conflict, ErrorCode
from apps.core.money import format_money
from apps.payments.providers.base import ChargeRequest, PaymentProvider, PaymentStatus, ProviderResult, WebhookNotice


class OfflineProvider(PaymentProvider):
    """Common behaviour: nothing to call; staff capture (mark paid), refund and cancel by hand."""

    manual = True

    def instructions(self, *, config, charge: ChargeRequest) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def initiate(self, *, config, charge: ChargeRequest) -> ProviderResult:
        """The payment waits for the money; the shopper is told how to pay."""
        return ProviderResult(status=PaymentStatus.PENDING, message=self.instructions(config=config, charge=charge))

    def capture(
        self, *, config, reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ProviderResult:
        """Staff received the money: the payment succeeded."""
        return ProviderResult(status=PaymentStatus.SUCCEEDED, reference=reference)

    def refund(self, *, config, reference: str, amount: Decimal, currency: str, idempotency_key: str) -> ProviderResult:
        """Staff paid the money back themselves; this records it."""
        return ProviderResult(status=PaymentStatus.REFUNDED, reference=reference)

    def cancel(self, *, config, reference: str, idempotency_key: str) -> ProviderResult:
        """Nothing was collected; nothing to undo."""
        return ProviderResult(status=PaymentStatus.CANCELLED, reference=reference)

    def parse_webhook(self, *, config, payload: bytes, headers: dict) -> WebhookNotice:
        """Offline providers send no webhooks."""
        raise Conflict(f"{self.label} sends no webhooks.", code=ErrorCode.PROVIDER_NOT_CONFIGURED)


class BankTransferProvider(OfflineProvider):
    code = "bank_transfer"
    label = "Bank transfer"
    description = "Pay by bank transfer; your order number is the payment reference."

    def instructions(self, *, config, charge: ChargeRequest) -> str:
        """What to transfer, where to, and the reference to quote (the order number)."""
        account = (getattr(config, "instructions", "") or "").strip()
        text = f"Transfer {format_money(charge.amount, charge.currency)} quoting the reference {charge.reference}."
        return f"{text}\n{account}" if account else text


class CashOnDeliveryProvider(OfflineProvider):
    code = "cash_on_delivery"
    label = "Cash on delivery"
    description = "Pay the courier in cash when your order arrives."

    def instructions(self, *, config, charge: ChargeRequest) -> str:
        """What to hand the courier."""
        extra = (getattr(config, "instructions", "") or "").strip()
        text = f"Pay {format_money(charge.amount, charge.currency)} in cash when order {charge.reference} is delivered."
        return f"{text}\n{extra}" if extra else text
