"""Carriers staff can choose when shipping, and the tracking link each one gives the shopper.

A carrier's ``url`` is a template with ``{number}`` (the tracking number, URL-quoted). "Other"
has no template: staff may paste the carrier's own https link instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Carrier:
    code: str
    label: str
    url: str = ""


CARRIERS: dict[str, Carrier] = {
    carrier.code: carrier
    for carrier in (
        Carrier("dhl", "DHL", "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}"),
        Carrier("ups", "UPS", "https://www.ups.com/track?tracknum={number}"),
        Carrier("fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}"),
        Carrier("usps", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"),
        Carrier("laposte", "La Poste / Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code={number}"),
        Carrier("dpd", "DPD", "https://tracking.dpd.de/status/en_US/parcel/{number}"),
        Carrier("royal_mail", "Royal Mail", "https://www.royalmail.com/track-your-item#/tracking-results/{number}"),
        Carrier("other", "Other"),
    )
}
CARRIER_CHOICES = [(carrier.code, carrier.label) for carrier in CARRIERS.values()]


def tracking_link(*, carrier: str, number: str, url: str = "") -> str:
    """The link shown to the shopper: the carrier's page for ``number``, else the pasted ``url``."""
    known = CARRIERS.get(carrier)
    if known and known.url and number:
        return known.url.format(number=quote(number, safe=""))
    return url
