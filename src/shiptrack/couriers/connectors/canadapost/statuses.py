"""Canada Post tracking (VIS track v2) vocabulary → Ship24 (plain tables, no logic).

Canada Post's own "Tracking scan events" table (Messages and Code Tables page of its developer
program) is not in any source available to this project; what is known comes from two places,
summarised in ``shared/reference/apis/canadapost.md`` §4:

* codes with their description as Canada Post sends them, from the documentation sample
  (``Shopify/active_shipping`` ``test/fixtures/xml/canadapost_pws/tracking_details_en.xml``)
  and real answers (``sailrish/shipit`` ``test/stub_data/canada_post_*.xml``) — mapped from
  that description (comments);
* karrio's grouping of Canada Post codes (``karrioapi/karrio``
  ``modules/connectors/canadapost/karrio/providers/canadapost/units.py``, ``TrackingStatus``):
  delivered, out for delivery, ready for pickup, on hold, delayed — mapped by group.

karrio's two vaguest groups are not mapped: "picked up" (100–107, 1400–1405, which Canada Post
describes as "item processed" as often as a pickup) and "delivery failed" (attempts, refusals,
returns alike). Their codes, and every code not listed here, go to the status normaliser,
which reads the event description. Codes are compared without leading zeros ("0174" is 174;
karrio's own comparison misses exactly that).
"""

from __future__ import annotations

from typing import Final


def _codes(*spans: int | tuple[int, int]) -> list[str]:
    out: list[str] = []
    for span in spans:
        first, last = span if isinstance(span, tuple) else (span, span)
        out.extend(str(code) for code in range(first, last + 1))
    return out


#: Codes seen with their description (sample and real answers) → Ship24.
DESCRIBED: Final[dict[str, str | None]] = {
    "3000": "data_order_created",  # Order information received / electronic info submitted
    "2300": "transit_handover",  # Item picked up by Canada Post
    "1302": "transit_handover",  # Item accepted at the Post Office
    "100": None,  # Item processed
    "104": None,  # Item processed
    "105": None,  # Item processed
    "170": None,  # Item processed
    "175": None,  # Item in transit
    "405": None,  # Item arrived
    "410": None,  # Item departed
    "173": "delivery_exception",  # Addressing error, attempting to correct, possible delay
    "174": "delivery_out_for_delivery",  # Item out for delivery
    "500": "delivery_out_for_delivery",  # Out for delivery
    "1479": "delivery_attempted",  # Attempted delivery, notice card left
    "1703": None,  # In transit to Post Office
    "1701": "delivery_available_for_pickup",  # Available for pickup at Post Office
    "1496": "delivery_delivered",  # Item successfully delivered
    "1498": "delivery_delivered",  # Delivered
    "20": None,  # Signature image recorded (informational)
    "8901": "transit_origin_country_departure",  # International item forwarded to destination
    "4310": "destination_arrival",  # Arrived in foreign country
    "4311": "destination_arrival",  # Arrived in foreign country
    "4500": None,  # International item in transit to delivery office
    "4600": None,  # Arrived at delivery office in destination country
}

#: karrio's groups that say one thing → Ship24.
GROUPS: Final[dict[str, tuple[str, list[str]]]] = {
    "delivered": (
        "delivery_delivered",
        _codes(1408, 1409, (1421, 1434), 1441, 1442, (1496, 1499)),
    ),
    "out_for_delivery": ("delivery_out_for_delivery", _codes(174, 500)),
    "ready_for_pickup": (
        "delivery_available_for_pickup",
        _codes(118, 156, 1407, 1410, (1435, 1438), 1488, 1701, 2410),
    ),
    "on_hold": (
        "delivery_exception",
        _codes(117, 120, 121, 125, 127, 810, 1411, 1414, 1443, 1484, 1487, 1494, 2411, 2414, 4700),
    ),
    "delivery_delayed": ("delivery_exception", _codes((159, 163), 172, 173, 2412)),
}

#: karrio's groups too vague to map: left to the status normaliser (tests keep them out).
TEXT_DECIDES: Final = frozenset(
    _codes((100, 107), (1400, 1405))
    + _codes(150, 154, (167, 169), 179, (181, 184), 190, 1100, (1415, 1420), 1450)
    + _codes((1481, 1483), (1491, 1493), 2600, 2802, 3001, 4650)
) - set(DESCRIBED)

#: Event identifier without leading zeros → Ship24 (None: a plain scan). A described code
#: wins over its karrio group (1479 "attempted delivery, notice card left" is in karrio's
#: ready-for-pickup group).
EVENT_CODES: Final[dict[str, str | None]] = {
    **{code: status for status, codes in GROUPS.values() for code in codes},
    **DESCRIBED,
}

#: ``<messages>`` codes: unknown number; credentials refused (E002, AA001–AA006).
NOT_FOUND_MESSAGES: Final = frozenset({"004"})
AUTH_MESSAGES: Final = frozenset({"E002", "AA001", "AA002", "AA003", "AA004", "AA005", "AA006"})
#: Text of the gateway's throttle refusal (blocked for up to a minute).
THROTTLED_TEXT: Final = "rejected by slm monitor"

#: ``event-time-zone`` abbreviations Canada Post sends → UTC offset. Foreign scans have an
#: empty zone or free text ("ISRAEL"): their times stay local.
TIME_ZONES: Final[dict[str, str]] = {
    "NST": "-03:30",
    "NDT": "-02:30",
    "AST": "-04:00",
    "ADT": "-03:00",
    "EST": "-05:00",
    "EDT": "-04:00",
    "CST": "-06:00",
    "CDT": "-05:00",
    "MST": "-07:00",
    "MDT": "-06:00",
    "PST": "-08:00",
    "PDT": "-07:00",
    "AKST": "-09:00",
    "AKDT": "-08:00",
    "HST": "-10:00",
}
