"""Receiving provider webhooks: verified first, recorded once, applied at most once, never backwards."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import DecimalField, F, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from apps.payments.models import Payment, WebhookEvent
from apps.payments.providers import get_provider
from apps.payments.providers.base import InvalidWebhook, WebhookNotice
from apps.payments.selectors import get_provider_config
from apps.payments.services.status import move_payment_status

logger = logging.getLogger("bazaar.payments")


@dataclass(frozen=True)
class WebhookOutcome:
    """What became of one delivery: ``applied``, ``stale`` (a status it may not move to any more),
    ``ignored`` (an event type we do not act on), ``unknown_payment`` or ``duplicate``."""

    outcome: str
    event_id: str


def _find_payment(*, tenant, provider: str, notice: WebhookNotice, body: dict) -> Payment | None:
    payments = Payment.objects.for_tenant(tenant).filter(provider=provider)
    if notice.reference:
        found = payments.filter(provider_reference=notice.reference).first()
        if found:
            return found
    # A PaymentIntent carries our payment id in its metadata: found even before its id was saved.
    metadata = ((body.get("data") or {}).get("object") or {}).get("metadata") or {}
    payment_id = str(metadata.get("payment_id", ""))
    if payment_id.isdecimal():
        found = payments.filter(pk=int(payment_id)).first()
        if found and (not found.provider_reference or found.provider_reference == notice.reference):
            return found
    return None


def receive_webhook(*, tenant, provider: str, payload: bytes, headers: dict) -> WebhookOutcome:
    """Verify a provider's webhook for ``tenant`` and apply it once.

    The signature and timestamp are checked against the tenant's own webhook secret before
    anything is written (:class:`InvalidWebhook`, 400, changes nothing). Then, in one
    transaction: the event id is inserted (unique per tenant and provider: a second delivery,
    even a concurrent one, is a ``duplicate`` and changes nothing), the tenant's payment with the
    event's reference is found (another tenant's payment never is), and its status moves only if
    the transitions table allows it (a late or out-of-order event is ``stale``).
    """
    impl = get_provider(provider)
    config = get_provider_config(tenant=tenant, provider=provider)
    if not config.pk:
        raise InvalidWebhook(f"{impl.label} is not configured for this shop.")
    notice = impl.parse_webhook(config=config, payload=payload, headers=headers)
    body = json.loads(payload)
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = WebhookEvent.objects.create(
                    tenant=tenant, provider=provider, event_id=notice.event_id, type=notice.type, payload=body
                )
        except IntegrityError:
            logger.info("webhook %s %s received again", provider, notice.event_id)
            return WebhookOutcome(outcome="duplicate", event_id=notice.event_id)
        payment = _find_payment(tenant=tenant, provider=provider, notice=notice, body=body)
        if payment is None:
            outcome = "unknown_payment" if notice.status else "ignored"
        elif notice.status is None:
            outcome = "ignored"
        else:
            moved = move_payment_status(
                tenant=tenant,
                payment=payment,
                status=notice.status,
                kind="webhook",
                actor_label=provider,
                data={"event_id": notice.event_id, "event_type": notice.type},
            )
            outcome = "applied" if moved else "stale"
            if moved and notice.amount_refunded is not None:
                # Never below what our own refunds reserved (a refund in flight is counted already).
                Payment.objects.for_tenant(tenant).filter(pk=payment.pk).update(
                    amount_refunded=Greatest(
                        F("amount_refunded"),
                        Least(
                            Value(notice.amount_refunded, output_field=DecimalField(max_digits=12, decimal_places=2)),
                            F("amount"),
                        ),
                    )
                )
        event.payment = payment
        event.outcome = outcome
        event.applied_at = timezone.now() if outcome == "applied" else None
        event.save(update_fields=["payment", "outcome", "applied_at"])
    return WebhookOutcome(outcome=outcome, event_id=notice.event_id)
