"""English wordings of a parcel's journey (twelfth round): the sender's data and its
cancellation, the hand-over, leaving the origin and reaching the destination country, the
delivery round, attempts, pickup places, deliveries and the recipient's choices. Texts written
in the carriers' styles (postal operators, express couriers, lockers), not copied from the
corpus; each group pairs a wording with its near miss (who collected it, where it was left,
today or tomorrow)."""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import classify


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        # The sender's data, the parcel not yet with the carrier.
        ("Shipping label created, USPS awaiting item", "data_order_created", "en.order"),
        ("We're expecting your parcel from the sender", "data_order_created", "en.order"),
        (
            "Shipper created a label, UPS has not received the package yet.",
            "data_order_created",
            "en.order.not.yet",
        ),
        (
            "Shipment data received, parcel not yet handed over",
            "data_order_created",
            "en.order.not.yet",
        ),
        ("Courier pickup booked", "data_order_created", "en.collection"),
        ("Awaiting parcel from sender", "data_order_created", "en.order"),
        # Cancelled by the sender: the data withdrawn.
        (
            "The label has been cancelled by the sender",
            "data_order_cancelled",
            "en.order.cancelled",
        ),
        ("Consignment cancelled", "data_order_cancelled", "en.order.cancelled"),
        ("Shipment deleted by sender", "data_order_cancelled", "en.order.cancelled"),
    ],
)
def test_the_senders_data_and_its_cancellation(text, expected, rule):
    answer = classify(text)
    assert answer.status_code == expected
    assert answer.rule_id.startswith(rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The carrier takes the parcel: from the sender, at a counter, from a drop-off.
        ("Package picked up by courier", "transit_handover"),
        ("Parcel has been collected by our driver", "transit_handover"),
        ("Shipment collected from sender", "transit_handover"),
        ("USPS in possession of item", "transit_handover"),
        ("Item posted at Post Office", "transit_handover"),
        ("Item lodged at Post Office", "transit_handover"),
        # Dropped off by the sender at a pickup place is still the hand-over.
        ("Parcel dropped off at ParcelShop", "transit_handover"),
        ("Sender dropped off the parcel at a locker", "transit_handover"),
        # The recipient takes it: a delivery.
        ("Collected by recipient", "delivery_delivered"),
        ("Collected by the customer from the Post Office", "delivery_delivered"),
        ("Parcel collected by recipient from the locker", "delivery_delivered"),
        ("Picked up at UPS Access Point by receiver", "delivery_delivered"),
        ("Item collected from Post Office", "delivery_delivered"),
    ],
)
def test_who_took_the_parcel_decides(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Departed origin country", "transit_origin_country_departure"),
        ("Left the country of origin", "transit_origin_country_departure"),
        ("Item has left the United Kingdom", "transit_origin_country_departure"),
        ("Departed from USPS international service center", "transit_origin_country_departure"),
        # A domestic origin facility is a transit scan.
        ("Departed USPS Regional Origin Facility", None),
        ("Arrived in destination country", "destination_arrival"),
        ("Arrival at inward office of exchange", "destination_arrival"),
        ("Item has arrived in the UK", "destination_arrival"),
        # Arriving at a site is a transit scan.
        ("Arrived at sort facility", None),
        ("Arrived at Delivery Office", None),
        ("Your parcel is on its way to our depot", None),
    ],
)
def test_leaving_the_origin_and_reaching_the_destination(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On vehicle for delivery", "delivery_out_for_delivery"),
        ("Your parcel is with the driver", "delivery_out_for_delivery"),
        ("Loaded onto delivery vehicle", "delivery_out_for_delivery"),
        ("Parcel will be delivered today", "delivery_out_for_delivery"),
        ("Your parcel is on its way to the recipient", "delivery_out_for_delivery"),
        # Tomorrow, or on its way without the recipient: not the delivery round yet.
        ("Your parcel will be delivered tomorrow", None),
        ("Your parcel is on its way", None),
        # Tried and missed.
        ("Notice Left (No Authorized Recipient Available)", "delivery_attempted"),
        ("Sorry we missed you", "delivery_attempted"),
        ("Attempted - nobody home", "delivery_attempted"),
        ("Could not deliver, no one in", "delivery_attempted"),
    ],
)
def test_the_delivery_round_and_its_attempts(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Delivered *to* a pickup place: waiting there for the recipient.
        ("Ready for collection at your local Post Office", "delivery_available_for_pickup"),
        ("Delivered to UPS Access Point", "delivery_available_for_pickup"),
        ("Delivered to parcel locker", "delivery_available_for_pickup"),
        ("Your parcel can be collected from the parcel locker", "delivery_available_for_pickup"),
        ("Held at Post Office, at customer request", "delivery_available_for_pickup"),
        # Delivered to the recipient, a neighbour, a safe place or their own locker.
        ("Delivered, In/At Mailbox", "delivery_delivered"),
        ("Delivered, Front Door/Porch", "delivery_delivered"),
        ("Delivered, Left with Individual", "delivery_delivered"),
        ("Left with neighbour at number 12", "delivery_delivered"),
        ("Delivered to safe place", "delivery_delivered"),
        ("Left in porch", "delivery_delivered"),
        ("Delivered to your own locker", "delivery_delivered"),
        ("Collected from the parcel locker", "delivery_delivered"),
    ],
)
def test_a_pickup_place_waits_and_a_delivery_is_done(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Delivery rescheduled at customer request", "data_delivery_decided"),
        ("Redirected to a pickup point at customer request", "data_delivery_decided"),
        ("Recipient has chosen to collect from a ParcelShop", "data_delivery_decided"),
        ("Delivery changed to Saturday", "data_delivery_decided"),
        # Options offered, not yet chosen.
        ("Choose a delivery option", "data_delivery_proposed"),
        ("We'll contact you to arrange delivery", "data_delivery_proposed"),
        ("Please select a delivery day", "data_delivery_proposed"),
    ],
)
def test_the_recipients_choices(text, expected):
    assert classify(text).status_code == expected
