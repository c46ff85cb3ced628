"""Connectors ask the normaliser only when their own table does not know the code."""

from __future__ import annotations

from shiptrack.couriers.connectors.laposte.parse import parse_item
from shiptrack.couriers.connectors.usps.parse import parse_tracking

NUMBER = "9400111206213300000014"
WHEN = "2025-03-01T10:00:00+01:00"


def _usps(code: str | None, text: str) -> tuple[str | None, str | None]:
    event = {"eventType": text, "eventTimestamp": "2025-03-01T10:00:00"}
    if code is not None:
        event["eventCode"] = code
    result = parse_tracking(NUMBER, {"trackingNumber": NUMBER, "trackingEvents": [event]})
    (parsed,) = result.events  # type: ignore[union-attr]
    return parsed.status_code, parsed.rule_id


def test_an_unknown_code_is_classified_from_its_text():
    assert _usps("Q7", "Delivered, In/At Mailbox") == ("delivery_delivered", "en.delivered")
    assert _usps(None, "Notice Left (No Authorized Recipient Available)") == (
        "delivery_attempted",
        "en.attempted",
    )


def test_the_carriers_explicit_code_is_never_overridden():
    # "03" is USPS's acceptance scan, whatever its text says.
    assert _usps("03", "Delivered") == ("transit_handover", "table:us-post:03")
    # "10" is an explicit informational scan: the table's None stands.
    assert _usps("10", "Delivered to the recipient") == (None, "table:us-post:10")


def test_texts_nothing_explains_are_marked_unmatched():
    assert _usps("Q8", "qqq zzz") == (None, "unmatched")


def test_la_poste_falls_back_on_its_french_label():
    item = {
        "returnCode": 200,
        "shipment": {
            "idShip": "6A12345678901",
            "holder": 4,
            "event": [
                {
                    "code": "XX9",
                    "label": "Votre colis est livré",
                    "date": "2025-03-01T10:00:00+01:00",
                },
                {"code": "DI1", "label": "Colis perdu", "date": "2025-03-01T11:00:00+01:00"},
            ],
        },
    }
    result = parse_item("6A12345678901", item)
    new_code, known_code = result.events  # type: ignore[union-attr]
    assert (new_code.status_code, new_code.rule_id) == ("delivery_delivered", "fr.delivered")
    assert (known_code.status_code, known_code.rule_id) == (
        "delivery_delivered",
        "table:colissimo:DI1",
    )
