"""Contract tests of the upstreams' status tables, over every value each provider documents.

The documented values are transcribed here from the providers' material (reference cards
``apis/17track.md`` §5–6, ``apis/aftership.md`` §6, ``apis/trackingmore.md`` §6, Ship24's
taxonomy), independently of the tables: a value missing from a table would silently go to
the status normaliser. Each value must map to a Ship24 code allowed for its provider status
(the prefix: ``Delivered_…`` can only be delivered...), and travel through the provider's
parser with its text and code kept. A code no table knows goes to the normaliser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shiptrack.couriers.connectors.aftership.parse import parse_tracking as aftership_parse
from shiptrack.couriers.connectors.aftership.statuses import EVENT_CODES as AFTERSHIP
from shiptrack.couriers.connectors.protocol import CourierEvent, TrackingResult
from shiptrack.couriers.connectors.ship24.parse import parse_tracking as ship24_parse
from shiptrack.couriers.connectors.ship24.statuses import STATUS_CODES as SHIP24
from shiptrack.couriers.connectors.track17.parse import parse_track_info
from shiptrack.couriers.connectors.track17.statuses import EVENT_CODES as TRACK17
from shiptrack.couriers.connectors.track17.statuses import MAIN_STATUSES
from shiptrack.couriers.connectors.trackingmore.parse import parse_tracking as tm_parse
from shiptrack.couriers.connectors.trackingmore.statuses import EVENT_CODES as TRACKINGMORE
from shiptrack.status.taxonomy import STATUS_CODES

TEXT = "Processed through facility"

# --- the documented values, by provider status -----------------------------------------------

SHIP24_DOCUMENTED = {code: {code} for code in STATUS_CODES}

_DELIVERY_TROUBLE = {"delivery_attempted", "delivery_exception", "delivery_refused"}
_EXCEPTIONS = {
    "delivery_exception",
    "delivery_refused",
    "exception_return",
    "exception_lost",
    "exception_discarded",
    "customs_exception",
    "data_order_cancelled",
}
_TRANSIT = {
    None,
    "transit_handover",
    "transit_origin_country_departure",
    "destination_arrival",
    "customs_received",
    "customs_cleared",
    "customs_exception",
}

TRACK17_GROUPS: dict[str, tuple[list[str], set[str | None]]] = {
    "NotFound": (["NotFound_Other", "NotFound_InvalidCode"], {None}),
    "InfoReceived": (["InfoReceived"], {"data_order_created"}),
    "InTransit": (
        [
            "InTransit_PickedUp",
            "InTransit_Other",
            "InTransit_Departure",
            "InTransit_Arrival",
            "InTransit_CustomsProcessing",
            "InTransit_CustomsReleased",
            "InTransit_CustomsRequiringInformation",
        ],
        _TRANSIT,
    ),
    "Expired": (["Expired_Other"], {None}),
    "AvailableForPickup": (["AvailableForPickup_Other"], {"delivery_available_for_pickup"}),
    "OutForDelivery": (["OutForDelivery_Other"], {"delivery_out_for_delivery"}),
    "DeliveryFailure": (
        [
            "DeliveryFailure_Other",
            "DeliveryFailure_NoBody",
            "DeliveryFailure_Security",
            "DeliveryFailure_Rejected",
            "DeliveryFailure_InvalidAddress",
        ],
        _DELIVERY_TROUBLE,
    ),
    "Delivered": (["Delivered_Other"], {"delivery_delivered"}),
    "Exception": (
        [
            f"Exception_{s}"
            for s in (
                "Other Returning Returned NoBody Security Damage Rejected Delayed Lost "
                "Destroyed Cancel"
            ).split()
        ],
        _EXCEPTIONS,
    ),
    "stage": (
        "InfoReceived PickedUp Departure Arrival AvailableForPickup OutForDelivery Delivered "
        "Returning Returned".split(),
        _TRANSIT
        | {
            "data_order_created",
            "delivery_available_for_pickup",
            "delivery_out_for_delivery",
            "delivery_delivered",
            "exception_return",
        },
    ),
}

AFTERSHIP_GROUPS: dict[str, tuple[list[str], set[str | None]]] = {
    "Delivered": ([f"Delivered_00{i}" for i in range(1, 6)], {"delivery_delivered"}),
    "AvailableForPickup": (["AvailableForPickup_001"], {"delivery_available_for_pickup"}),
    "Exception": (
        [f"Exception_0{i:02d}" for i in (*range(1, 14), 16, 17, 18)],
        _EXCEPTIONS,
    ),
    "AttemptFail": ([f"AttemptFail_00{i}" for i in (1, 2, 3)], {"delivery_attempted"}),
    "InTransit": ([f"InTransit_00{i}" for i in range(1, 10)], _TRANSIT),
    "InfoReceived": (["InfoReceived_001"], {"data_order_created"}),
    "OutForDelivery": (
        ["OutForDelivery_001", "OutForDelivery_003", "OutForDelivery_004"],
        {"delivery_out_for_delivery", "data_delivery_decided"},
    ),
    "Pending": ([f"Pending_00{i}" for i in range(1, 7)], {None}),
    "Expired": (["Expired_001"], {None}),
    "tag": (
        "Pending InfoReceived InTransit OutForDelivery AttemptFail Delivered "
        "AvailableForPickup Exception Expired".split(),
        _TRANSIT
        | _EXCEPTIONS
        | {
            "data_order_created",
            "delivery_out_for_delivery",
            "delivery_attempted",
            "delivery_delivered",
            "delivery_available_for_pickup",
        },
    ),
}

TRACKINGMORE_GROUPS: dict[str, tuple[list[str], set[str | None]]] = {
    "inforeceived": (["inforeceived001"], {"data_order_created"}),
    "notfound": (["notfound002"], {None}),
    "pending": ([f"pending00{i}" for i in range(1, 6)], {None}),
    "transit": ([f"transit00{i}" for i in range(1, 8)], _TRANSIT),
    "pickup": (
        ["pickup001", "pickup002", "pickup003"],
        {"delivery_out_for_delivery", "delivery_available_for_pickup"},
    ),
    "delivered": ([f"delivered00{i}" for i in range(1, 5)], {"delivery_delivered"}),
    "undelivered": ([f"undelivered00{i}" for i in range(1, 5)], _DELIVERY_TROUBLE),
    "exception": ([f"exception0{i:02d}" for i in range(4, 12)], _EXCEPTIONS),
    "expired": (["expired001"], {None}),
    "delivery_status": (
        "pending notfound inforeceived transit pickup undelivered delivered exception "
        "expired".split(),
        _TRANSIT
        | _DELIVERY_TROUBLE
        | {
            "data_order_created",
            "delivery_out_for_delivery",
            "delivery_delivered",
        },
    ),
}


# --- one event through each provider's parser ------------------------------------------------


def _ship24(code: str) -> Any:
    tracking = {
        "events": [
            {"status": TEXT, "occurrenceDatetime": "2026-03-01T10:00:00", "statusCode": code}
        ]
    }
    return ship24_parse("NUMBER1", tracking)


def _track17(code: str) -> Any:
    stage, sub = (
        (code, None)
        if code in TRACK17_GROUPS["stage"][0] and "_" not in code
        else (
            None,
            code,
        )
    )
    event = {"time_iso": "2026-03-01T10:00:00+01:00", "description": TEXT, "stage": stage}
    event["sub_status"] = sub
    item = {"number": "NUMBER1", "track_info": {"tracking": {"providers": [{"events": [event]}]}}}
    return parse_track_info(item, "us-post")


def _aftership(code: str) -> Any:
    key = "subtag" if "_" in code else "tag"
    checkpoint = {"checkpoint_time": "2026-03-01T10:00:00-06:00", "message": TEXT, key: code}
    return aftership_parse("NUMBER1", {"checkpoints": [checkpoint]}, "us-post")


def _trackingmore(code: str) -> Any:
    key = "checkpoint_delivery_substatus" if code[-1].isdigit() else "checkpoint_delivery_status"
    event = {"checkpoint_date": "2026-03-01T10:00:00", "tracking_detail": TEXT, key: code}
    tracking = {"tracking_number": "NUMBER1", "origin_info": {"trackinfo": [event]}}
    return tm_parse(tracking, "us-post")


PROVIDERS: dict[str, tuple[dict[str, Any], dict[str, Any], Callable[[str], Any], str]] = {
    "ship24": ({"Ship24": (list(SHIP24_DOCUMENTED), set(STATUS_CODES))}, SHIP24, _ship24, "ship24"),
    "track17": (TRACK17_GROUPS, TRACK17, _track17, "17track"),
    "aftership": (AFTERSHIP_GROUPS, AFTERSHIP, _aftership, "aftership"),
    "trackingmore": (TRACKINGMORE_GROUPS, TRACKINGMORE, _trackingmore, "trackingmore"),
}

CASES = [
    (provider, group, value)
    for provider, (groups, _, _, _) in PROVIDERS.items()
    for group, (values, _) in groups.items()
    for value in values
]


def _event(result: Any) -> CourierEvent:
    assert isinstance(result, TrackingResult), result
    (event,) = result.events
    return event


@pytest.mark.parametrize(("provider", "group", "value"), CASES)
def test_every_documented_value_is_mapped_and_kept(provider, group, value):
    groups, table, parse, table_name = PROVIDERS[provider]
    assert value in table, f"{provider}: documented {value!r} is missing from the table"
    allowed = groups[group][1]
    assert table[value] in allowed, f"{provider} {value!r} → {table[value]!r}"
    if provider == "ship24":
        assert table[value] == value  # identity
    event = _event(parse(value))
    assert event.status_code == table[value]
    assert event.carrier_status_code == value, "the provider's code is kept"
    assert event.status == TEXT, "the provider's text is kept"
    assert event.rule_id == f"table:{table_name}:{value}"


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_the_tables_hold_nothing_undocumented(provider):
    groups, table, _, _ = PROVIDERS[provider]
    documented = {v for values, _ in groups.values() for v in values}
    assert set(table) == documented
    assert all(code is None or code in STATUS_CODES for code in table.values())


def test_17track_main_statuses_group_their_sub_statuses():
    for main, subs in MAIN_STATUSES.items():
        assert list(subs) == TRACK17_GROUPS[main][0]


@pytest.mark.parametrize(
    ("provider", "unknown"),
    [
        ("ship24", "delivery_teleported"),
        ("track17", "InTransit_TransportArrived"),
        ("aftership", "Exception_014"),
        ("trackingmore", "created"),
    ],
)
def test_unknown_codes_go_to_the_status_normaliser(provider, unknown):
    _, table, parse, _ = PROVIDERS[provider]
    assert unknown not in table
    event = _event(parse(unknown))
    assert event.carrier_status_code == unknown
    assert event.rule_id is not None
    assert not event.rule_id.startswith("table:")
