"""English wordings of the eleventh round: sites named for what they are, customs brokers,
notices left, the recipient's own collection, duties paid, inspections completed and
redirections asked for (texts written in the carriers' style, not copied from the corpus)."""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import classify


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        # A delivery site named is a site scan, not the delivery round; "in delivery" alone is.
        ("Arrival at delivery facility LEIPZIG - GERMANY", None, "en.scan.delivery.site"),
        ("Shipment arrived in the delivery station", None, "en.scan.delivery.site"),
        ("Processed at DHL delivery hub", None, "en.scan.delivery.site"),
        ("Shipment is in delivery", "delivery_out_for_delivery", "en.out.for.delivery"),
        # The carrier's planes and containers: transit scans.
        ("Plane departed JFK", None, "en.scan"),
        ("Aircraft landed at Heathrow", None, "en.scan"),
        ("Handheld acceptance inferred from container", None, "en.scan.received.in"),
        ("Container receipt - automation acceptance", None, "en.scan.received.in"),
    ],
)
def test_sites_planes_and_containers_are_scans(text, expected, rule):
    answer = classify(text)
    assert answer.status_code == expected
    assert answer.rule_id.startswith(rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A clearing agency or agent is customs: held for one is a hold, released by one cleared.
        ("Your parcel is with the clearing agent", "customs_received"),
        ("Your parcel is being held for the clearing agency", "customs_exception"),
        ("Your parcel was released by the clearing agency", "customs_cleared"),
        # An inspection completed is the clearance; the inspection alone still holds it.
        ("Customs inspection completed", "customs_cleared"),
        ("Examination complete, released to carrier", "customs_cleared"),
        ("Customs inspection", "customs_exception"),
        # Duties paid are no event; the hold they ended is over.
        ("Import duty has been paid", None),
        ("Customs duties have been paid by the receiver", None),
    ],
)
def test_customs_agents_inspections_and_duties(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A notice left for the recipient: the driver tried.
        ("Our driver left a delivery notice", "delivery_attempted"),
        ("We left a notice at your address", "delivery_attempted"),
        ("Delivery notice left in the letterbox", "delivery_attempted"),
        # Left at the door with no notice named: the delivery.
        ("Left at the front door", "delivery_delivered"),
        # The recipient collected it themselves: a delivery, not the carrier's collection.
        ("You collected your parcel from the ParcelShop", "delivery_delivered"),
        ("You have picked up your parcel at the locker", "delivery_delivered"),
        ("Parcel collected by our driver", "transit_handover"),
        # A redirection asked for is the recipient's decision, not yet the parcel at the shop.
        ("Redirect to a ParcelShop requested", "data_delivery_decided"),
        ("Redirection to the locker requested by the recipient", "data_delivery_decided"),
    ],
)
def test_notices_own_collections_and_redirections(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Rejected by customs is customs' refusal, not the recipient's; a declaration rejected
        # is a customs problem to solve.
        ("Rejected by the customs authorities", "customs_rejected"),
        ("Customs rejected the shipment", "customs_rejected"),
        ("Import declaration rejected, new declaration needed", "customs_exception"),
        ("Returned from Import Customs due to Import Not Authorised", "customs_rejected"),
        ("Shipment rejected by recipient", "delivery_refused"),
        # Lost for certain, in other words than "definitely missing".
        ("Shipment definitively missing", "exception_lost"),
        ("Parcel definitely lost", "exception_lost"),
        ("Shipment missing", "exception_lost"),
    ],
)
def test_customs_rejections_and_certain_losses(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "courier", "expected"),
    [
        # Royal Mail: an item collected from a delivery office is the recipient's collection;
        # a mail centre's own scans are transit scans.
        ("Collected from the Delivery Office", "gb-post", "delivery_delivered"),
        ("Mail Centre - Bag received late", "gb-post", None),
        ("Outward Mail Centre Handheld Acceptance", "gb-post", "transit_handover"),
        # USPS: leaving the international service center is the export.
        (
            "Departed USPS International Service Center",
            "us-post",
            "transit_origin_country_departure",
        ),
        ("Processed through USPS International Service Center", "us-post", None),
        # FedEx: an export release is a step at origin, the import release the clearance;
        # a driver on the way to a pickup has not picked anything up.
        ("International Shipment Release - Export", "fedex", None),
        ("International Shipment Release - Import", "fedex", "customs_cleared"),
        ("Enroute to pickup", "fedex", None),
        # InPost: taken out of the parcel machine by the recipient, or left there too long.
        ("Parcel collected from the parcel machine", "inpost-pl", "delivery_delivered"),
        ("The pickup time has expired", "inpost-pl", "exception_return"),
        ("Collection time has expired, returning to sender", "inpost-pl", "exception_return"),
    ],
)
def test_carriers_sites_releases_and_collections(text, courier, expected):
    assert classify(text, courier_code=courier).status_code == expected


def test_a_pickup_time_not_yet_expired_is_no_return():
    answer = classify("The pickup time has not expired yet", courier_code="inpost-pl")
    assert answer.status_code != "exception_return"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The aggregators' sentences: information received is order data, not the parcel.
        ("The carrier has received your shipment information.", "data_order_created"),
        ("Your shipment information has been sent to the carrier.", "data_order_created"),
        ("The carrier has received your shipment.", "transit_handover"),
        # Customs asking for something holds the parcel; customs alone is the clearance.
        ("Customs requires more information about your shipment.", "customs_exception"),
        ("Your shipment is going through customs.", "customs_received"),
        ("Shipment held for payment of duties", "customs_exception"),
        ("Request for payment of shipment costs sent", "delivery_exception"),
        # On the way to the delivery address is the delivery round.
        ("Your shipment is on its way to the delivery address.", "delivery_out_for_delivery"),
        # A return named as a warning ("before it's returned") is no return.
        (
            "Your shipment is waiting at the pickup point. Collect it before it's returned.",
            "delivery_available_for_pickup",
        ),
        ("Your shipment will arrive late. We'll update you.", "delivery_exception"),
        # Refused at the door (or at delivery): the refusal, even with the return that follows;
        # refused at the border is customs'.
        ("Refused at the door, returned to sender", "delivery_refused"),
        ("Parcel refused on delivery", "delivery_refused"),
        ("Entry refused at the border", "customs_rejected"),
        ("Return to sender - refused", "exception_return"),
    ],
)
def test_aggregator_sentences_payments_and_refusals(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "courier", "expected"),
    [
        # A collection arranged or a return booked is order data, before anything moved.
        ("Collection from your address has been arranged", None, "data_order_created"),
        ("Your return has been booked", None, "data_order_created"),
        ("Return to sender registered", None, "exception_return"),
        # InPost: a pickup code sent means the parcel waits in the machine; a pickup time
        # extended is the recipient's decision.
        (
            "The parcel has been placed in the parcel machine. We have sent the Recipient a "
            "pickup code.",
            "inpost-pl",
            "delivery_available_for_pickup",
        ),
        ("Your collection code is 481516", "inpost-pl", "delivery_available_for_pickup"),
        ("The pickup time has been extended.", "inpost-pl", "data_delivery_decided"),
        ("Storage period extended by 2 days", None, "data_delivery_decided"),
    ],
)
def test_collections_returns_booked_and_pickup_codes(text, courier, expected):
    assert classify(text, courier_code=courier).status_code == expected


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Collection not arranged", "en.collection.scheduled"),
        ("Pickup time not extended", "en.delivery.decided"),
    ],
)
def test_negated_arrangements_match_no_arrangement(text, rule):
    # The phrases are written without a gap, so a negation inside them breaks the match.
    assert classify(text).rule_id != rule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # PostNL: the appointed place described (occupied, not accessible) keeps the parcel.
        ("Appointed place is occupied", "delivery_exception"),
        ("Appointed place is not reachable", "delivery_exception"),
        ("Delivered at the appointed place", "delivery_delivered"),
    ],
)
def test_postnl_appointed_place(text, expected):
    assert classify(text, courier_code="nl-post").status_code == expected
