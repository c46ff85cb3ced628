"""Royal Mail Tracking API v2 vocabulary → Ship24 (plain tables, no logic).

Source: Royal Mail's tracking event table (event code, location type, internal name, status
group, customer text), as re-published in the ``$StatusCodes`` array of a PHP integration
(code search copy id 65727553948; summarised in ``shared/reference/apis/royalmail.md`` §5).
Each event code belongs to one of Royal Mail's customer-facing status groups; the group decides
the Ship24 code, with the few codes whose own meaning is narrower (leaving the UK, Local
Collect ready at a post office) overridden. ``None`` marks a plain movement or a system event
(kept, no Ship24 code). Three rows of that table carry spreadsheet artefacts instead of a group
(``EVJLV`` and ``EVNLG`` "#REF!", ``EVNRC`` "0"): they are left out, so the status normaliser
reads their text. Codes outside the table (``DELIVERED`` seen as ``lastEventCode``) go the same
way.
"""

from __future__ import annotations

from typing import Final

#: Royal Mail status group → Ship24 status code (None: a movement or system event).
GROUP_STATUS: Final[dict[str, str | None]] = {
    "We're expecting it": "data_order_created",
    "We've got it": "transit_handover",
    "In Transit": None,
    "Ready for Delivery": "delivery_out_for_delivery",
    "Delivered": "delivery_delivered",
    "Collected": "delivery_delivered",
    "Delivery Attempted": "delivery_attempted",
    "Pending": "delivery_exception",
    "In Customs": "customs_received",
    "Released from Customs": "customs_cleared",
    "Returned to Sender": "exception_return",
    "Restricted or Prohibited Contents": "customs_rejected",
    "Not Applicable": None,
}

#: Status group → its event codes, as the table lists them.
GROUP_CODES: Final[dict[str, tuple[str, ...]]] = {
    "We're expecting it": ("EVAIE", "EVAIP", "EVAPA", "EVPPB"),
    "We've got it": (
        "EVBAH", "EVBAV", "EVBAW", "EVBDM", "EVBMI", "EVBOF", "EVBPM", "EVBPR", "EVBRS", "EVBSD",
        "EVBSM", "EVBSR", "EVBSS", "EVBSW", "EVDAA", "EVDAC", "EVDAV", "EVDAW", "EVDDM", "EVDLS",
        "EVDOF", "EVDPL", "EVDPM", "EVDPR", "EVDRO", "EVDRS", "EVDSD", "EVDSL", "EVDSM", "EVDSR",
        "EVDSS", "EVJOE", "EVNPB", "EVOAC", "EVOBC", "EVPPA",
    ),
    "In Transit": (
        "EVCAH", "EVCAV", "EVCDM", "EVCMI", "EVCOF", "EVCPD", "EVCPI", "EVCPS", "EVCPW", "EVCRS",
        "EVCRW", "EVDMI", "EVGDM", "EVGDO", "EVGMI", "EVHAC", "EVHOE", "EVIAV", "EVIDM", "EVILC",
        "EVIMC", "EVIMI", "EVIMS", "EVIOF", "EVIPD", "EVIPI", "EVIPR", "EVIPS", "EVIPW", "EVIRM",
        "EVIRO", "EVJDU", "EVJJV", "EVJMV", "EVNDO", "EVNMC", "EVNMI", "EVNWA", "EVODO", "EVOLB",
        "EVOMI", "EVOOC", "EVORC", "EVORI", "EVORT", "EVORW", "EVOUF", "EVOVB",
    ),
    "Ready for Delivery": ("EVGPD",),
    "Delivered": (
        "EVKDN", "EVKNS", "EVKLC", "EVKLS", "EVNLC", "EVPLA", "EVKOP", "EVKSP", "EVKSF", "EVNFS",
        "EVNLP", "EVNPO",
    ),
    "Collected": ("EVNCE", "EVNCO", "EVNOC", "EVNSC", "EVPLC", "EVPLF"),
    "Delivery Attempted": (
        "EVKAA", "EVKNA", "EVKSU", "EVNBA", "EVNIL", "EVNIO", "EVNSA", "EVNUL", "EVNUO", "EVPOA",
        "EVPON", "EVPOU", "EVPXA", "EVPXN", "EVPXU",
    ),
    "Pending": (
        "EVHAP", "EVHAR", "EVHFM", "EVHNC", "EVHSR", "EVJAP", "EVJBA", "EVJCA", "EVJCC", "EVJCD",
        "EVJCO", "EVJEM", "EVJES", "EVJIN", "EVJML", "EVJPA", "EVJSR", "EVNAA", "EVNAE", "EVNCF",
        "EVNDA", "EVNDN", "EVNKS", "EVNRD", "EVNRN", "EVNRT", "EVNSR",
    ),
    "In Customs": ("EVJIC",),
    "Released from Customs": ("EVJDP", "EVJEA", "EVJFC", "EVJIA", "EVJNT"),
    "Returned to Sender": (
        "EVBRA", "EVBRB", "EVBRT", "EVBRW", "EVBSA", "EVCPA", "EVCRA", "EVCRB", "EVDRA", "EVDRB",
        "EVDRW", "EVDSA", "EVDSW", "EVHCA", "EVHCR", "EVHDI", "EVHID", "EVIPA", "EVKAI", "EVKGA",
        "EVKRF", "EVNAB", "EVNAC", "EVNAD", "EVNAI", "EVNGA", "EVNGL", "EVNHE", "EVNHR", "EVNLA",
        "EVNLI", "EVNLR", "EVNRE", "EVNRF", "EVNRL", "EVNRO", "EVNRR", "EVNRS", "EVNSI", "EVNUK",
        "EVORR", "EVPLI", "EVPLN", "EVPLR", "EVPLU", "EVPLX", "EVPOG", "EVPOI", "EVPOR", "EVPUX",
        "EVPXG", "EVPXI", "EVPXR",
    ),
    "Restricted or Prohibited Contents": ("EVSGD", "EVSGS", "EVSUS"),
    "Not Applicable": (
        "EVNCL", "EVNDL", "EVNDS", "EVNOI", "EVNOU", "EVZAM", "EVZBF", "EVZDM", "EVZDR", "EVZLM",
        "EVZRD", "EVZRM", "EVZSO",
    ),
}  # fmt: skip

#: Codes whose own meaning is narrower than their group's.
OVERRIDES: Final[dict[str, str | None]] = {
    "EVHOE": "transit_origin_country_departure",  # "leaving the UK" (In Transit)
    "EVPLA": "delivery_available_for_pickup",  # Local Collect: ready at the post office
}

#: ``eventCode`` → Ship24 status code (None: kept as a plain scan).
EVENT_CODES: Final[dict[str, str | None]] = {
    code: OVERRIDES.get(code, GROUP_STATUS[group])
    for group, codes in GROUP_CODES.items()
    for code in codes
}

#: ``carrierShortName`` → Ship24 courier code (Royal Mail Group answers for both brands).
CARRIER_COURIER_CODES: Final[dict[str, str]] = {"RM": "gb-post", "PF": "parcel-force"}
DEFAULT_COURIER_CODE: Final = "gb-post"

#: Error codes that say the item is unknown (E1142 in the spec; E2001 in newer answers).
NOT_FOUND_ERRORS: Final = frozenset({"E1142", "E2001"})
