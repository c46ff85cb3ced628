"""English wordings of the twelfth round, the problems side: customs asking for something, a
declaration or its papers wrong or missing, an address or a postcode that cannot be used,
postage unpaid, a recipient who does not want the parcel, a loss or a theft, a parcel
destroyed or auctioned, and the paperwork that is no event (claims, closed trailers, a
signature service). Texts written in the carriers' style, not copied from the corpus."""

from __future__ import annotations

import pytest

from shiptrack.status.classifier import classify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Customs (or a broker) asking for something, or clearance pending: customs' hold.
        ("Customs clearance is pending", "customs_exception"),
        ("Customs requested additional information", "customs_exception"),
        ("Additional information required for customs clearance", "customs_exception"),
        ("We need more information to clear your parcel through customs", "customs_exception"),
        ("Brokerage agent needs more information", "customs_exception"),
        ("Clearance documents are missing", "customs_exception"),
        ("Package held for clearance - awaiting documentation", "customs_exception"),
        ("Incomplete customs declaration", "customs_exception"),
        ("Customs declaration incorrect", "customs_exception"),
        ("Customs issue", "customs_exception"),
        ("Clearance exception", "customs_exception"),
        # Pay to release: the release is still pending, not done.
        ("Pay the customs fee to release your parcel", "customs_exception"),
        ("Your package is being held until the import duties are paid", "customs_exception"),
        # Near misses: information received, or customs cleared, stay what they were.
        ("Customs clearance information received", "customs_received"),
        ("Customs clearance completed", "customs_cleared"),
        ("Released by customs", "customs_cleared"),
        # Entry refused by the country: customs' refusal.
        ("Not allowed to enter the country", "customs_rejected"),
        ("Entry not permitted", "customs_rejected"),
    ],
)
def test_customs_asking_pending_and_wrong_papers(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An address, a postcode or a part of it the carrier cannot use: a delivery exception.
        ("Address cannot be found", "delivery_exception"),
        ("Recipient address could not be verified", "delivery_exception"),
        ("Invalid postal code", "delivery_exception"),
        ("Zip code is invalid", "delivery_exception"),
        ("Apartment number missing", "delivery_exception"),
        ("Consignee unknown", "delivery_exception"),
        ("Addressee not known at this address", "delivery_exception"),
        # Postage short.
        ("Postage unpaid", "delivery_exception"),
        ("Insufficient postage", "delivery_exception"),
        # A delivery suspended is a hold, below what happened beside it.
        ("Delivery suspended", "delivery_exception"),
        # Near miss: a failed delivery for an address reason stays the attempt.
        ("Shipment not delivered due to incorrect postcode", "delivery_attempted"),
    ],
)
def test_addresses_postage_and_holds(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Not accepted by the addressee", "delivery_refused"),
        ("Delivery not accepted", "delivery_refused"),
        ("Recipient did not want the parcel", "delivery_refused"),
        ("Receiver doesn't want the shipment", "delivery_refused"),
        ("Customer no longer wants the order", "delivery_refused"),
        # The recipient accepting it is the delivery.
        ("Accepted by the addressee", "delivery_delivered"),
    ],
)
def test_a_recipient_who_does_not_want_it_refuses(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Loss confirmed", "exception_lost"),
        ("Loss of shipment", "exception_lost"),
        ("Package stolen", "exception_lost"),
        ("Parcel reported as lost", "exception_lost"),
        ("Parcel declared as missing", "exception_lost"),
        # Destroyed, disposed of or auctioned is the end of the parcel, over the return that
        # led to it.
        ("Unclaimed parcel destroyed", "exception_discarded"),
        ("Undeliverable item disposed of", "exception_discarded"),
        ("Items sold at auction", "exception_discarded"),
        ("Shipment liquidated", "exception_discarded"),
        # A parcel never claimed goes back.
        ("Package has not been claimed", "exception_return"),
        ("Parcel was not claimed by the recipient", "exception_return"),
    ],
)
def test_lost_stolen_destroyed_and_unclaimed(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        # Claims, closed trailers, vehicles changed and a signature service: no event.
        ("Claim submitted", None, "en.scan.claim"),
        ("We've received a claim for this item", None, "en.scan.claim"),
        ("Trailer closed", None, "en.scan.closed"),
        ("Claim closed", None, "en.scan.closed"),
        ("Moved to a different vehicle", None, "en.scan.moved"),
        ("Proof of delivery available", None, "en.scan.information.updated"),
        ("Adult signature required", None, "en.scan.service"),
        # Beside a real event, the event decides.
        ("Item damaged, claim opened", "delivery_exception", "en.delivery.note"),
        ("Package presumed lost, claim initiated", "exception_lost", "en.lost"),
        ("Delivery attempted - signature required", "delivery_attempted", "en.attempted"),
        (
            "Out for delivery, signature required",
            "delivery_out_for_delivery",
            "en.out.for.delivery",
        ),
        ("The recipient has moved", "delivery_exception", "en.delivery.exception"),
    ],
)
def test_paperwork_and_services_are_no_events(text, expected, rule):
    answer = classify(text)
    assert answer.status_code == expected
    assert answer.rule_id.startswith(rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Border agencies, regulators and the papers customs asks for: customs.
        ("Your item is with Border Force", "customs_received"),
        ("Customs: inspection required", "customs_exception"),
        ("Selected for customs inspection", "customs_exception"),
        ("Commercial invoice missing", "customs_exception"),
        ("Incorrect invoice", "customs_exception"),
        ("Export license required", "customs_exception"),
        ("Certificate of origin required", "customs_exception"),
        ("Recipient tax ID missing", "customs_exception"),
        ("Value declared too low", "customs_exception"),
        ("Undervalued shipment", "customs_exception"),
        ("Held at the border", "customs_exception"),
        ("Package held by the FDA", "customs_exception"),
        ("Regulatory hold", "customs_exception"),
        # Stuck, backlogged or under review at customs is a hold; done is the clearance.
        ("Stuck in customs", "customs_exception"),
        ("Customs backlog", "customs_exception"),
        ("Document review by customs", "customs_exception"),
        ("Customs clearance done", "customs_cleared"),
        # Documents missing with no customs named stay the parcel's problem.
        ("Documents missing", "delivery_exception"),
    ],
)
def test_border_agencies_papers_and_stalls(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Sent back, stopped by the sender, not forwardable: the way back.
        ("Your parcel is damaged and we're returning it to the sender", "exception_return"),
        ("Shipment stopped by the sender", "exception_return"),
        ("Unable to forward", "exception_return"),
        # Held for an investigation is a hold; an investigation alone no event.
        ("Held for investigation", "delivery_exception"),
        ("On hold pending investigation", "delivery_exception"),
        ("Investigation opened", None),
        # Shipping charges unpaid: the carrier's own charge, not customs'.
        ("Shipping charges unpaid", "delivery_exception"),
        # Tampered or crushed: damage noted; unlabelled, unidentified or the wrong item: the
        # parcel needs the carrier's attention.
        ("Package tampered with", "delivery_exception"),
        ("Parcel crushed", "delivery_exception"),
        ("Unlabelled item found", "delivery_exception"),
        ("Parcel unidentified", "delivery_exception"),
        ("Wrong item delivered", "delivery_exception"),
        # Damage beside a delivery stays the delivery.
        ("Delivered, package crushed", "delivery_delivered"),
    ],
)
def test_stopped_held_unpaid_and_damaged(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        ("Call made to recipient", None, "en.scan.contact"),
        ("Voicemail left for recipient", None, "en.scan.contact"),
        ("Shipment data updated", None, "en.scan.information.updated"),
        ("Label reprinted by carrier", None, "en.scan.information.updated"),
        ("Parcel relabelled", None, "en.scan.information.updated"),
        ("Status code not recognised", None, "en.scan.status.unknown"),
        # Near miss: the event beside the call decides.
        ("Delivery attempted, voicemail left", "delivery_attempted", "en.attempted"),
    ],
)
def test_calls_relabels_and_unknown_codes_are_no_events(text, expected, rule):
    answer = classify(text)
    assert answer.status_code == expected
    assert answer.rule_id.startswith(rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Gone astray, misplaced or a search given up: lost.
        ("Parcel went astray", "exception_lost"),
        ("Item mislaid", "exception_lost"),
        ("Search for the parcel unsuccessful", "exception_lost"),
        ("Trace unsuccessful", "exception_lost"),
        # A refusal outranks the reason it gives; the wrong item alone is the parcel's problem.
        ("Recipient refused - wrong item", "delivery_refused"),
        ("Wrong item delivered", "delivery_exception"),
        ("Sent to returns processing", "exception_return"),
        # At customs awaiting release: not yet released.
        ("Your shipment is at customs awaiting release", "customs_exception"),
        ("Duties must be paid before delivery", "customs_exception"),
        # The parcel or the address needs someone's attention.
        ("Your parcel needs attention", "delivery_exception"),
        ("Action needed: please update your address", "delivery_exception"),
        ("Contains dangerous goods", "delivery_exception"),
    ],
)
def test_astray_refused_for_a_reason_awaiting_release_and_attention(text, expected):
    assert classify(text).status_code == expected


@pytest.mark.parametrize(
    ("text", "courier", "expected"),
    [
        # A site's scan noting dangerous goods or damage stays the site's scan.
        ("Outward MC - Dangerous Goods Handheld", "gb-post", "transit_handover"),
        ("Inward RDC - Damaged Handheld", "gb-post", None),
        # Disposed of is the end of it.
        ("Confirmed dangerous goods and disposed of", "gb-post", "exception_discarded"),
    ],
)
def test_site_scans_keep_their_notes_below_them(text, courier, expected):
    assert classify(text, courier_code=courier).status_code == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A cancelled flight or delivery is a problem on the way, not the sender's cancellation.
        ("Flight cancelled", "delivery_exception"),
        ("Your parcel's flight was cancelled due to a technical fault", "delivery_exception"),
        ("Package damaged, delivery cancelled", "delivery_exception"),
        # The sender's cancellation stays one.
        ("Shipment cancelled by sender", "data_order_cancelled"),
        ("Order cancelled", "data_order_cancelled"),
    ],
)
def test_a_cancelled_flight_or_delivery_is_an_exception(text, expected):
    assert classify(text).status_code == expected
