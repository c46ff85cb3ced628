"""DHL's own status vocabulary → Ship24 status codes (plain tables, no logic).

The Unified API gives every event a ``statusCode`` from a five-value enum (documented), plus free
text (``status``, ``description``). DHL Express events carry Express checkpoint codes (``PU``,
``WC``, ``OK`` …) in ``status``; those codes are DHL Express's published event codes. For other
services the only finer signal is the text, so a short ordered list of phrases (English and
German, as DHL Paket writes them) refines the coarse enum.

A value of ``None`` means "informational scan": the event is kept with no Ship24 status code.
Resolution order, per event (see ``parse.classify``): Express code table (Express only) →
phrase rules → ``statusCode`` enum.
"""

from __future__ import annotations

import re
from typing import Final

#: DHL Unified ``statusCode`` enum (OpenAPI ``supermodelIoLogisticsSupportingStatusCode``).
STATUS_CODES: Final[dict[str, str | None]] = {
    "pre-transit": "data_order_created",
    "transit": None,
    "delivered": "delivery_delivered",
    # "The shipment could not be delivered…": usually solvable; phrases/codes refine it.
    "failure": "delivery_exception",
    "unknown": None,
}

#: DHL Express checkpoint codes, as they appear in ``events[].status`` for ``service=express``.
EXPRESS_EVENT_CODES: Final[dict[str, str | None]] = {
    "AD": "data_delivery_decided",  # agreed delivery
    "AF": None,  # arrived at DHL facility
    "AR": None,  # arrival in delivery facility
    "BA": "delivery_exception",  # bad address
    "BN": "customs_received",  # customer broker notified
    "BR": "customs_cleared",  # broker release
    "CA": "delivery_attempted",  # closed on arrival
    "CC": "delivery_available_for_pickup",  # awaiting consignee collection
    "CD": "customs_exception",  # controllable clearance delay
    "CM": "delivery_exception",  # customer moved
    "CR": "customs_cleared",  # clearance release
    "DD": "delivery_delivered",  # delivered damaged
    "DF": None,  # departed facility
    "DS": "exception_discarded",  # destroyed / disposal
    "HP": "customs_exception",  # held for payment (duties and taxes)
    "IC": "customs_received",  # in clearance processing
    "MC": None,  # missed connection
    "MS": None,  # mis-sort, rerouted
    "NA": None,  # not arrived
    "ND": "delivery_attempted",  # not delivered
    "NH": "delivery_attempted",  # not home
    "OH": "delivery_exception",  # on hold
    "OK": "delivery_delivered",  # delivered
    "PL": None,  # processed at location
    "PU": "transit_handover",  # shipment picked up
    "PY": None,  # payment
    "RD": "delivery_refused",  # refused delivery
    "RR": None,  # customs status updated
    "RT": "exception_return",  # returned to consignor
    "RW": None,  # weigh and dimension
    "SA": "transit_handover",  # shipment acceptance
    "SC": None,  # service changed
    "SM": None,  # scheduled movement
    "SS": "delivery_exception",  # shipment stopped
    "ST": "delivery_exception",  # shipment intercepted
    "TD": None,  # transport delay
    "TP": None,  # forwarded to a third party (see linked numbers)
    "TR": None,  # transferred through
    "UD": "customs_exception",  # uncontrollable clearance delay
    "WC": "delivery_out_for_delivery",  # with delivery courier
}

#: Ordered phrase rules on the event text, first match wins. Negative forms ("not delivered")
#: come before the positive ones they contain. Patterns are lower case and match the text
#: lower-cased (``parse.classify``).
DESCRIPTION_RULES: Final[tuple[tuple[re.Pattern[str], str | None], ...]] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (
            r"zur(ü|ue)ck(gesendet|geschickt|gesandt)|r(ü|ue)cksendung|an den absender"
            r"|return(ed)? to (the )?(sender|shipper|consignor)|being returned",
            "exception_return",
        ),
        (r"annahme.{0,40}verweigert|refused", "delivery_refused"),
        (r"vernichtet|destroyed|disposed of", "exception_discarded"),
        (r"nicht auffindbar|verloren gegangen|\blost\b", "exception_lost"),
        (
            r"vom empf(ä|ae)nger abgeholt|(picked up|collected) by (the )?(recipient|consignee)",
            "delivery_delivered",
        ),
        (
            r"zustellversuch|nicht angetroffen|konnte nicht zugestellt|not at home"
            r"|delivery attempt|could not be delivered|recipient (was )?(absent|not available)",
            "delivery_attempted",
        ),
        (
            r"zur abholung|abholbereit|liegt .*(filiale|packstation|paketshop)"
            r"|in (eine|die) packstation|ready for (pick ?up|collection)"
            r"|available for (pick ?up|collection)|awaiting collection",
            "delivery_available_for_pickup",
        ),
        (
            r"zollabfertigung abgeschlossen|verzollt|cleared (by )?customs"
            r"|clearance (processing )?complete",
            "customs_cleared",
        ),
        (
            r"(zoll|customs).*(angehalten|zur(ü|ue)ckgehalten|hold|delay)|clearance delay",
            "customs_exception",
        ),
        (
            r"zustellfahrzeug|in zustellung|out for delivery|with (the )?(delivery )?courier",
            "delivery_out_for_delivery",
        ),
        (r"\bzugestellt\b|\bdelivered\b", "delivery_delivered"),
        (
            r"abgangsland verlassen|departed .*origin country|left the country of origin",
            "transit_origin_country_departure",
        ),
        (
            r"im zielland (angekommen|eingetroffen)|arrived in (the )?destination country",
            "destination_arrival",
        ),
        (r"\bzoll\b|zollabfertigung|customs|clearance", "customs_received"),
        (
            r"elektronisch angek(ü|ue)ndigt|auftragsdaten|shipment information received"
            r"|electronically (announced|notified)|label (was )?created",
            "data_order_created",
        ),
        (
            r"eingeliefert|abgeholt|picked up|shipment acceptance|received by dhl",
            "transit_handover",
        ),
    )
)

#: DHL ``service`` (the answering business unit) → Ship24 courier code of its scans.
SERVICE_COURIER_CODES: Final[dict[str, str]] = {
    "express": "dhl-express",
    "parcel-de": "dhl",
    "post-de": "de-post",
    "post-international": "de-post",
    "parcel-nl": "dhlparcel-nl",
    "parcel-uk": "dhlparcel-uk",
    "parcel-pl": "dhl-pl",
    "ecommerce": "dhl-global-mail",
    "ecommerce-apac": "dhl-global-mail-asia",
    "ecommerce-europe": "dhl-global-mail",
    "ecommerce-iberia": "dhl-es",
    "ecommerce-ppl": "dhl",
    "freight": "dhl-freight",
    "dgf": "dhl",
    "dsc": "dhl",
    "sameday": "dhl",
    "svb": "dhl",
}

#: Ship24 courier code of a tracker → ``service`` hint sent to DHL. Only unambiguous codes: a
#: wrong hint hides the shipment, so ``dhl`` and ``dhl-packet`` send none.
COURIER_SERVICE_HINTS: Final[dict[str, str]] = {
    "dhl-express": "express",
    "de-post": "post-de",
    "dhlparcel-nl": "parcel-nl",
    "dhlparcel-uk": "parcel-uk",
    "dhl-pl": "parcel-pl",
    "dhl-global-mail": "ecommerce",
    "dhl-global-mail-asia": "ecommerce-apac",
    "dhl-es": "ecommerce-iberia",
    "dhl-freight": "freight",
}

#: ``details.provider.destinationProvider`` → Ship24 courier code of the last-mile operator
#: (postal operators follow Ship24's ``<iso2>-post`` rule); unknown providers give no code.
DESTINATION_PROVIDER_COURIER_CODES: Final[dict[str, str]] = {
    "express": "dhl-express",
    "freight": "dhl-freight",
    "parcel-de": "dhl",
    "parcel-nl": "dhlparcel-nl",
    "parcel-uk": "dhlparcel-uk",
    "parcel-pl": "dhl-pl",
    "parcel-es": "dhl-es",
    "parcel-be": "dhl-be",
    "bpost": "be-post",
    "anpost": "ie-post",
    "posti": "fi-post",
    "poste-italiane": "it-post",
    "oepag": "at-post",
    "magyar-posta": "hu-post",
    "hrvatska-posta": "hr-post",
    "posta-slovenije": "si-post",
    "chronopost": "chronopost",
}

#: ``details.references[].type`` values that are other tracking numbers of the same parcel
#: (not customer references or account numbers).
TRACKING_REFERENCE_TYPES: Final = frozenset(
    {
        "local-tracking-number",
        "domestic-consignment-id",
        "ecommerce-number",
        "shipment-id",
        "housebill",
        "container-number",
    }
)
