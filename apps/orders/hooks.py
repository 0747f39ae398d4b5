"""Hooks: how higher apps (payments) plug into orders without orders importing them.

``apps.payments`` registers its methods from ``PaymentsConfig.ready()``::

    register_payment_method(PaymentMethod(code="bank_transfer", label="Bank transfer", ...))

and the console order detail asks every function given to :func:`register_order_section` for a
``{"template": ..., "context": {...}}`` to include (payments shows its table and "Mark paid").
Refunds and the money side of a cancellation go through :class:`PaymentActions`, which payments
registers with :func:`register_payment_actions` (orders decides *what* to give back, payments
*how*: Stripe refund, manual record, cancelled PaymentIntent).
Analytics listens for placed orders with :func:`register_order_placed_receiver`, for refunds
with :func:`register_order_refunded_receiver` and for cancellations with
:func:`register_order_cancelled_receiver`.

What a cancellation takes off the money (``OrderCancellation.unrefunded``), so that no amount is
counted off twice: a cancellation of an order whose payment was *collected* (payment status paid,
partially refunded or refunded when the cancel service locks the order) gives its money back
through payments (``settle_cancellation`` refunds the cancelled amount, capped by what is left),
and every such refund sends ``order_refunded``; so its ``unrefunded`` is 0.00. Any other
cancellation (unpaid bank transfer or cash on delivery, a card payment only authorised or never
made) gives no money back (the payment is cancelled or collected later for the rest), so its
``unrefunded`` is the whole cancelled ``amount``. ``whole`` says nothing had shipped: the order
is no longer a sale at all (analytics takes it out of the order count, paid or not).
Registries are plain module-level lists, filled at start-up, read-only afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from apps.core.errors import Conflict, ErrorCode, NotFound

if TYPE_CHECKING:
    from django.http import HttpRequest

    from apps.orders.models import Order
    from apps.tenants.models import Tenant


@dataclass(frozen=True)
class PaymentStep:
    """What the shopper sees or does after placing the order."""

    kind: str  # "none" | "instructions" | "client_secret" | "redirect"
    message: str = ""  # e.g. bank transfer instructions with the order number as reference
    client_secret: str = ""  # Stripe PaymentIntent client secret
    publishable_key: str = ""
    url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PaymentMethod:
    """A way to pay, offered at checkout when ``is_available(tenant)``."""

    code: str  # "bank_transfer", "cash_on_delivery", "stripe"
    label: str
    description: str
    is_available: Callable[[Tenant], bool]
    start: Callable[[Order], PaymentStep]  # called AFTER the place-order transaction commits
    holds_stock_until_paid: bool = False  # card orders: cancelled when unpaid after the tenant's minutes


@dataclass(frozen=True)
class RefundRequest:
    """What to give back on an order: ``amount`` (Decimal, > 0) and what it is for (``lines``:
    ``[{"line_id", "quantity", "amount"}]``, ``shipping``). ``idempotency_key``: the same key twice
    is the same refund."""

    order_id: int
    amount: Decimal
    reason: str = ""
    lines: list = field(default_factory=list)
    shipping: Decimal = Decimal("0")
    idempotency_key: str = ""
    actor: object = None


@dataclass(frozen=True)
class RefundOutcome:
    """A refund as payments recorded it: ``status`` pending / succeeded / failed."""

    refund_id: int
    amount: Decimal
    currency: str
    status: str
    manual: bool
    provider: str
    created: bool = True


@dataclass(frozen=True)
class PaymentActions:
    """Payments' side of after-sales.

    - ``refund(tenant, request) -> RefundOutcome``: outside any transaction (it calls the provider);
      raises ``Conflict`` (``not_refundable``, ``refund_exceeds_charge``) or ``ProviderError``.
    - ``refundable(tenant, order) -> Decimal``: what may still be refunded (0 if nothing was collected).
    - ``settle_cancellation(tenant, order, amount, whole)``: called INSIDE the cancel transaction; must
      only enqueue work (an outbox task) that cancels or refunds the payment after commit.
    """

    refund: Callable[..., RefundOutcome]
    refundable: Callable[..., Decimal]
    settle_cancellation: Callable[..., None]


_payment_methods: dict[str, PaymentMethod] = {}
_order_sections: list[Callable] = []
_payment_actions: list[PaymentActions] = []
_order_placed_receivers: list[Callable] = []
_order_refunded_receivers: list[Callable] = []
_order_cancelled_receivers: list[Callable] = []


def register_payment_method(method: PaymentMethod) -> None:
    """Add (or replace, by ``code``) a payment method. Registration order is the display order."""
    _payment_methods[method.code] = method


def unregister_payment_method(code: str) -> None:
    """Remove a method (tests that register their own clean up with this)."""
    _payment_methods.pop(code, None)


def list_payment_methods(tenant) -> list[PaymentMethod]:
    """The methods available to ``tenant``, in registration order."""
    return [method for method in _payment_methods.values() if method.is_available(tenant)]


def get_payment_method(code: str) -> PaymentMethod:
    """The registered method ``code``; :class:`NotFound` (``payment_method_unavailable``) if none."""
    try:
        return _payment_methods[code]
    except KeyError:
        raise NotFound("No such payment method.", code=ErrorCode.PAYMENT_METHOD_UNAVAILABLE) from None


def register_order_section(func: Callable[[HttpRequest, Order], dict | None]) -> None:
    """Add a section to the console order detail: ``func(request, order)`` returns
    ``{"template": "...", "context": {...}}`` or None to show nothing."""
    if func not in _order_sections:
        _order_sections.append(func)


def render_order_sections(request, order) -> list[dict]:
    """Every registered section for ``order`` (the console detail includes them in order)."""
    sections = []
    for func in _order_sections:
        section = func(request, order)
        if section:
            sections.append(section)
    return sections


def register_payment_actions(actions: PaymentActions) -> None:
    """Install the payments app's refund and cancellation handlers (replacing any before)."""
    _payment_actions[:] = [actions]


def get_payment_actions() -> PaymentActions:
    """The registered :class:`PaymentActions`; 409 ``not_refundable`` if no payments app is installed."""
    if not _payment_actions:
        raise Conflict("Payments are not set up: nothing can be refunded.", code=ErrorCode.NOT_REFUNDABLE)
    return _payment_actions[0]


def settle_cancellation(*, tenant, order, amount: Decimal, whole: bool) -> None:
    """Tell payments (if installed) that ``amount`` of ``order`` was cancelled (inside the cancel
    transaction; payments enqueues the provider work)."""
    for actions in _payment_actions:
        actions.settle_cancellation(tenant=tenant, order=order, amount=amount, whole=whole)


def register_order_placed_receiver(func: Callable[[Order], None]) -> None:
    """Call ``func(order)`` for every order placed (the ``order_placed`` signal of this app).

    Receivers run inside the placing transaction, once the order and its lines are written, and
    may only schedule work in it (``apps.core.outbox.enqueue_task``): the outbox row commits or
    rolls back with the order, and its task is published when the transaction commits. So what a
    receiver schedules happens exactly for the orders that were committed, and is never lost
    between the commit and a broker call.
    """
    if func not in _order_placed_receivers:
        _order_placed_receivers.append(func)


def unregister_order_placed_receiver(func: Callable[[Order], None]) -> None:
    """Remove a receiver (tests that register their own clean up with this)."""
    if func in _order_placed_receivers:
        _order_placed_receivers.remove(func)


def send_order_placed(order: Order) -> None:
    """Tell every receiver that ``order`` was placed (called by ``place_order`` in its transaction)."""
    for func in _order_placed_receivers:
        func(order)


@dataclass(frozen=True)
class OrderRefund:
    """A refund made on an order (any method), as the refunding code tells the receivers."""

    tenant_id: int
    order_id: int
    refund_id: str  # unique per tenant: the refund's id, so a receiver can act on it once
    amount: Decimal  # what was given back, rounded to 0.01, > 0
    refunded_at: datetime


def register_order_refunded_receiver(func: Callable[[OrderRefund], None]) -> None:
    """Call ``func(refund)`` for every refund made (the ``order_refunded`` signal of this app).

    The refunding service calls :func:`send_order_refunded` inside its transaction; receivers, as
    for ``order_placed``, only schedule work through the outbox.
    """
    if func not in _order_refunded_receivers:
        _order_refunded_receivers.append(func)


def unregister_order_refunded_receiver(func: Callable[[OrderRefund], None]) -> None:
    """Remove a refund receiver (tests)."""
    if func in _order_refunded_receivers:
        _order_refunded_receivers.remove(func)


def send_order_refunded(refund: OrderRefund) -> None:
    """Tell every receiver about ``refund`` (called by the refund service in its transaction)."""
    for func in _order_refunded_receivers:
        func(refund)


COLLECTED_PAYMENT_STATUSES = frozenset({"paid", "partially_refunded", "refunded"})


@dataclass(frozen=True)
class OrderCancellation:
    """A cancellation on an order, as the cancel service tells the receivers (one per order: a
    whole order, or the unshipped rest of a partly shipped one; cancelling again sends nothing).

    ``lines``: ``[{"line_id", "sku", "quantity", "amount", "total"}]`` per cancelled line
    (``amount`` what those units cost the shopper, ``total`` their share of the line total as
    placed, both decimal strings); ``amount``: the lines' amounts plus the shipping when
    ``whole``; ``unrefunded``: the part no refund will give back (see the module docstring)."""

    tenant_id: int
    order_id: int
    whole: bool
    amount: Decimal
    unrefunded: Decimal
    lines: list
    voucher_code: str
    cancelled_at: datetime


def unrefunded_amount(*, payment_status: str, amount: Decimal) -> Decimal:
    """What of a cancelled ``amount`` no refund will give back: 0.00 when the order's payment was
    collected (payments refunds it, each refund sending ``order_refunded``), else all of it."""
    return Decimal("0.00") if payment_status in COLLECTED_PAYMENT_STATUSES else amount


def register_order_cancelled_receiver(func: Callable[[OrderCancellation], None]) -> None:
    """Call ``func(cancellation)`` for every cancellation (the ``order_cancelled`` signal).

    The cancel service calls :func:`send_order_cancelled` inside its transaction, with the order
    row locked; receivers, as for ``order_placed``, only schedule work through the outbox.
    """
    if func not in _order_cancelled_receivers:
        _order_cancelled_receivers.append(func)


def unregister_order_cancelled_receiver(func: Callable[[OrderCancellation], None]) -> None:
    """Remove a cancellation receiver (tests)."""
    if func in _order_cancelled_receivers:
        _order_cancelled_receivers.remove(func)


def send_order_cancelled(cancellation: OrderCancellation) -> None:
    """Tell every receiver about ``cancellation`` (called by ``cancel_order`` in its transaction)."""
    for func in _order_cancelled_receivers:
        func(cancellation)


# --- what higher apps (invoices) add to orders' flows ----------------------------------------------
#
# ``register_payment_listener(func)``: ``func(tenant, order, previous, status)`` runs inside the
# transaction that changed the payment status (so an ``enqueue_task`` it makes commits with it).
# ``register_email_attachments(func)``: ``func(order, kind) -> [(filename, bytes, mimetype)]`` for
# an order email, called by the email task before it claims the message (outside its transaction).
# ``register_shopper_order_links(func)``: ``func(orders, tokens) -> {order_id: [{"label", "url"}]}``
# (``tokens``: order id -> signed guest-link token; one call per page, so one query per app)
# shown on the shopper's order page and in "My orders". ``register_orders_anonymised(func)``:
# ``func(tenant_id, order_ids)`` after a person's data on orders was replaced (same transaction).

_payment_listeners: list[Callable] = []
_email_attachments: list[Callable] = []
_shopper_order_links: list[Callable] = []
_anonymised_listeners: list[Callable] = []


def _add(registry: list[Callable], func: Callable) -> None:
    if func not in registry:
        registry.append(func)


def register_payment_listener(func: Callable) -> None:
    """Call ``func(tenant, order, previous, status)`` on every payment status change."""
    _add(_payment_listeners, func)


def notify_payment_status(tenant, order, previous: str, status: str) -> None:
    """Tell every payment listener (called by ``record_payment_status`` inside its transaction)."""
    for func in _payment_listeners:
        func(tenant, order, previous, status)


def register_email_attachments(func: Callable) -> None:
    """Add files to order emails: ``func(order, kind)`` returns ``[(filename, bytes, mimetype)]``."""
    _add(_email_attachments, func)


def list_email_attachments(order, kind: str) -> list[tuple[str, bytes, str]]:
    """Every registered attachment for the ``kind`` email of ``order``."""
    return [item for func in _email_attachments for item in (func(order, kind) or [])]


def register_shopper_order_links(func: Callable) -> None:
    """Add links to the shopper's views of orders: ``func(orders, tokens)`` returns
    ``{order_id: [{"label", "url"}]}`` for the orders it has something for."""
    _add(_shopper_order_links, func)


def list_shopper_order_links(orders, tokens: dict[int, str]) -> dict[int, list[dict]]:
    """Every registered link per order id (``tokens`` maps order ids to guest-link tokens)."""
    links: dict[int, list[dict]] = {order.pk: [] for order in orders}
    for func in _shopper_order_links:
        for order_id, found in (func(orders, tokens) or {}).items():
            links.setdefault(order_id, []).extend(found)
    return links


def register_orders_anonymised(func: Callable) -> None:
    """Call ``func(tenant_id, order_ids)`` when a person's data on those orders was replaced."""
    _add(_anonymised_listeners, func)


def notify_orders_anonymised(tenant_id: int, order_ids: list[int]) -> None:
    """Tell every listener (called inside the anonymising transaction)."""
    for func in _anonymised_listeners:
        func(tenant_id, order_ids)
