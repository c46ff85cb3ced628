"""Ship24's status taxonomy (``status/taxonomy.py``) against Ship24's published tables.

Source: Ship24's status documentation ("Tracking statuses", the table Ship24 also ships in its
plugin's ``data/statuses.json``), as summarised in spec/ship24-api.md Part B §9: eight
milestones, six categories, twenty status codes each prefixed by its category, and the
statusCode → milestone transitions (§9.3; shiptrack's choices for the open ones are
docs/decisions/0004-timeline-rules.md).
"""

from __future__ import annotations

import pytest

from shiptrack.status.taxonomy import (
    CATEGORIES,
    FINAL_MILESTONES,
    MILESTONES,
    STATUS_CODES,
    category_of,
    is_status_code,
    next_milestone,
)

#: Ship24 §9.2: (category, statusCode, documented meaning).
DOCUMENTED_CODES = [
    ("data", "data_order_created", "delivery order electronically declared"),
    ("data", "data_order_cancelled", "delivery order cancelled"),
    ("data", "data_delivery_proposed", "delivery methods or time slots proposed"),
    ("data", "data_delivery_decided", "final delivery method or time slot decided"),
    ("transit", "transit_handover", "picked up or received by the carrier"),
    ("transit", "transit_origin_country_departure", "departed the origin country"),
    ("destination", "destination_arrival", "arrived in the destination country"),
    ("customs", "customs_received", "received by or presented to customs"),
    ("customs", "customs_exception", "exception or delay in customs clearance"),
    ("customs", "customs_rejected", "rejected by customs"),
    ("customs", "customs_cleared", "cleared by customs"),
    ("delivery", "delivery_available_for_pickup", "available at a pickup point"),
    ("delivery", "delivery_out_for_delivery", "delivery in progress"),
    ("delivery", "delivery_attempted", "delivery attempted, unsuccessful"),
    ("delivery", "delivery_exception", "issue during or preventing delivery"),
    ("delivery", "delivery_refused", "refused by the recipient"),
    ("delivery", "delivery_delivered", "delivered"),
    ("exception", "exception_return", "undeliverable; will be or is being returned"),
    ("exception", "exception_lost", "lost by the carrier"),
    ("exception", "exception_discarded", "destroyed by the carrier"),
]

#: Ship24 §9.3: the milestone after an event with this code, from each starting milestone
#: (``None``: the code keeps the current milestone).
MOVES_TO = {
    "data_order_cancelled": None,
    "data_delivery_proposed": None,
    "data_delivery_decided": None,
    "transit_handover": "in_transit",
    "transit_origin_country_departure": "in_transit",
    "destination_arrival": "in_transit",
    "customs_received": "in_transit",
    "customs_exception": "in_transit",
    "customs_cleared": "in_transit",
    "customs_rejected": "exception",
    "delivery_out_for_delivery": "out_for_delivery",
    "delivery_attempted": "failed_attempt",
    "delivery_available_for_pickup": "available_for_pickup",
    "delivery_exception": None,
    "delivery_refused": "exception",
    "delivery_delivered": "delivered",
    "exception_return": "exception",
    "exception_lost": "exception",
    "exception_discarded": "exception",
}


def test_the_eight_milestones_in_journey_order():
    assert MILESTONES == (
        "pending", "info_received", "in_transit", "out_for_delivery", "failed_attempt",
        "available_for_pickup", "delivered", "exception",
    )  # fmt: skip
    assert FINAL_MILESTONES == {"delivered", "exception"}


def test_the_six_categories():
    assert CATEGORIES == ("data", "transit", "destination", "customs", "delivery", "exception")


def test_each_documented_code_with_its_category_and_meaning():
    for category, code, meaning in DOCUMENTED_CODES:
        assert STATUS_CODES[code].startswith(meaning), code
        assert category_of(code) == category
        assert is_status_code(code)


def test_nothing_but_the_twenty_codes():
    assert list(STATUS_CODES) == [code for _, code, _ in DOCUMENTED_CODES]
    assert category_of(None) is None
    assert category_of("delivery_teleported") is None
    assert not is_status_code("delivery_teleported")
    assert not is_status_code(None)
    assert not is_status_code(17)


def test_milestone_transitions():
    for code, after in MOVES_TO.items():
        for current in MILESTONES:
            assert next_milestone(current, code) == (after or current), (current, code)


@pytest.mark.parametrize(
    ("current", "after"),
    [
        ("pending", "info_received"),
        ("info_received", "info_received"),
        ("in_transit", "in_transit"),
        ("failed_attempt", "failed_attempt"),
        ("delivered", "delivered"),
    ],
)
def test_order_created_only_lifts_a_pending_shipment(current, after):
    assert next_milestone(current, "data_order_created") == after


@pytest.mark.parametrize(
    ("current", "after"),
    [
        ("pending", "in_transit"),
        ("info_received", "in_transit"),
        ("in_transit", "in_transit"),
        ("out_for_delivery", "out_for_delivery"),
        ("available_for_pickup", "available_for_pickup"),
        ("exception", "exception"),
    ],
)
def test_a_scan_without_code_means_the_parcel_moves(current, after):
    assert next_milestone(current, None) == after
