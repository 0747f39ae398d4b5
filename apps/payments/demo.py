"""The demo shop takes payments (``apps.demo.loader``): bank transfer and cash on delivery on.

Stripe stays off in the demo (it needs the shop's own keys); the console's Payments page shows how
to turn it on. Idempotent.
"""

from __future__ import annotations

from apps.payments import services

DEMO_BANK_DETAILS = "Account: Demo Shop SARL · IBAN FR76 3000 6000 0112 3456 7890 189 · BIC AGRIFRPP"


def load_demo_payments(*, tenant) -> list[str]:
    """Enable bank transfer (with demo account details) and cash on delivery; returns their codes."""
    services.update_provider_config(
        tenant=tenant, provider="bank_transfer", enabled=True, instructions=DEMO_BANK_DETAILS
    )
    services.update_provider_config(
        tenant=tenant, provider="cash_on_delivery", enabled=True, instructions="Please have the exact amount ready."
    )
    return ["bank_transfer", "cash_on_delivery"]
