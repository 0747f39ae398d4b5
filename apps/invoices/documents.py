"""The invoice document: what it shows (lines, tax per rate, totals, seller and buyer) and the
PDF WeasyPrint makes of ``templates/invoices/invoice.html``.

WeasyPrint lays text out with Pango (Debian's ``libpango-1.0-0``, ``libpangoft2-1.0-0``, and a
font from ``fonts-dejavu-core``): ``make pdf-deps`` and the Dockerfile install them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TaxLine:
    """The amounts taxed at one ``rate`` (0.2000 is 20 %): net, tax, and net + tax."""

    rate: Decimal
    net: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    @property
    def percent(self) -> str:
        """``20`` or ``5.5`` for people."""
        return f"{(self.rate * 100).normalize():f}"


def shipping_rate(lines) -> Decimal:
    """The rate shipping was taxed at: the lines' rate (orders tax shipping at the address's
    rate, the one every line has); the highest line rate if the lines ever differ."""
    rates = {line.tax_rate for line in lines}
    return max(rates) if rates else ZERO


def tax_breakdown(order, lines) -> list[TaxLine]:
    """Net and tax per rate over the lines and shipping, highest rate first. The taxes add up to
    ``order.tax_total`` and the nets to ``order.net_total`` (each part was rounded once)."""
    sums: dict[Decimal, list[Decimal]] = {}
    for line in lines:
        entry = sums.setdefault(line.tax_rate, [ZERO, ZERO])
        entry[0] += line.net
        entry[1] += line.tax
    # Shipping is taxed after its share of a voucher (``shipping_discount``, promotions).
    shipping = order.shipping_price - (getattr(order, "shipping_discount", None) or ZERO)
    if shipping or order.shipping_tax:
        net = shipping - order.shipping_tax if order.prices_include_tax else shipping
        entry = sums.setdefault(shipping_rate(lines), [ZERO, ZERO])
        entry[0] += net
        entry[1] += order.shipping_tax
    return [TaxLine(rate=rate, net=net, tax=tax) for rate, (net, tax) in sorted(sums.items(), reverse=True)]


def invoice_context(*, invoice, order, lines) -> dict:
    """What the invoice template shows."""
    discount = getattr(order, "discount_total", None) or ZERO
    return {
        "invoice": invoice,
        "order": order,
        "seller": invoice.seller or {},
        "buyer": order.shipping_address or {},
        "lines": lines,
        "taxes": tax_breakdown(order, lines),
        "discount": discount,
        "currency": order.currency,
    }


def render_invoice_html(*, invoice, order, lines) -> str:
    """The invoice as HTML (the PDF's source; also what tests read)."""
    return render_to_string("invoices/invoice.html", invoice_context(invoice=invoice, order=order, lines=lines))


def render_invoice_pdf(*, invoice, order, lines) -> bytes:
    """The invoice as a PDF (WeasyPrint; imported here so that web processes load it lazily)."""
    from weasyprint import HTML  # noqa: PLC0415 (Pango and fonts load in workers only)

    return HTML(string=render_invoice_html(invoice=invoice, order=order, lines=lines)).write_pdf()
