"""La Poste Suivi v2 vocabulary → Ship24 (plain tables, no logic).

``EVENT_CODES`` is La Poste's published list of event codes (``shipment.event[].code``), the same
for Courrier, Colissimo and Chronopost. ``None`` marks an informational scan (kept, no Ship24
status code). Codes outside the table are kept with no status code.
"""

from __future__ import annotations

from typing import Final

EVENT_CODES: Final[dict[str, str | None]] = {
    "DR1": "data_order_created",  # Déclaratif réceptionné
    "PC1": "transit_handover",  # Pris en charge
    "PC2": "transit_handover",  # Pris en charge dans le pays d'expédition
    "ET1": None,  # En cours de traitement
    "ET2": None,  # En cours de traitement dans le pays d'expédition
    "ET3": "destination_arrival",  # En cours de traitement dans le pays de destination
    "ET4": None,  # En cours de traitement dans un pays de transit
    "EP1": None,  # En attente de présentation
    "DO1": "customs_received",  # Entrée en douane
    "DO2": "customs_cleared",  # Sortie de douane
    "DO3": "customs_exception",  # Retenu en douane
    "PB1": "delivery_exception",  # Problème en cours
    "PB2": None,  # Problème résolu
    "MD2": "delivery_out_for_delivery",  # Mis en distribution
    "ND1": "delivery_attempted",  # Non distribuable
    "AG1": "delivery_available_for_pickup",  # En attente d'être retiré au guichet
    "RE1": "exception_return",  # Retourné à l'expéditeur
    "DI1": "delivery_delivered",  # Distribué
    "DI2": "exception_return",  # Distribué à l'expéditeur
}

#: Per-number ``returnCode`` → what it means for that number. 200/201/208 carry a shipment;
#: 101/104/105/109 (and 400/404 in single answers) say the number is unknown, invalid or not
#: yet in the network; 504 says La Poste's back end did not answer for it.
RETURN_CODES: Final[dict[int, str]] = {
    200: "found",
    201: "found",
    208: "found",
    101: "not_found",
    104: "not_found",
    105: "not_found",
    109: "not_found",
    400: "not_found",
    404: "not_found",
    504: "unavailable",
}

#: ``shipment.holder`` → Ship24 courier code (1 = Courrier, 3 = Chronopost, 4 = Colissimo).
HOLDER_COURIER_CODES: Final[dict[int, str]] = {1: "fr-post", 3: "chronopost", 4: "colissimo"}

#: Words of ``shipment.product`` naming the operator, when ``holder`` is missing.
PRODUCT_COURIER_CODES: Final[tuple[tuple[str, str], ...]] = (
    ("chronopost", "chronopost"),
    ("colissimo", "colissimo"),
)
DEFAULT_COURIER_CODE: Final = "fr-post"

#: Words of ``contextData.partner.name``/``network`` → Ship24 courier code of the partner that
#: carries the item abroad (its ``reference`` becomes a linked number). Unknown partners keep
#: the number with no courier code.
PARTNER_COURIER_CODES: Final[tuple[tuple[str, str], ...]] = (
    ("deutsche post", "de-post"),
    ("dhl", "dhl"),
    ("royal mail", "gb-post"),
    ("poste italiane", "it-post"),
    ("correos", "es-post"),
    ("bpost", "be-post"),
    ("postnl", "nl-post"),
    ("swiss post", "ch-post"),
    ("usps", "us-post"),
    ("canada post", "ca-post"),
)
