"""Canada Post answers (documentation sample, a real answer, errors) → connector types."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiptrack.couriers.connectors.canadapost.client import resource
from shiptrack.couriers.connectors.canadapost.parse import event_time, parse_answer, zone_offset
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierRateLimited,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "canadapost"


def _load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_documentation_sample() -> None:
    result = parse_answer("1371134583769923", _load("tracking_details_en.xml"))

    assert isinstance(result, TrackingResult)
    assert [e.carrier_status_code for e in result.events] == ["1496", "0174", "2300", "3000"]
    assert [e.status_code for e in result.events] == [
        "delivery_delivered",
        "delivery_out_for_delivery",  # "0174": leading zero ignored for the table
        "transit_handover",
        "data_order_created",
    ]
    assert result.events[0].occurrence_datetime == "2011-02-03T11:59:59-05:00"  # EST
    assert result.events[0].location == "SAINTE-FOY, QC"
    assert [e.order for e in result.events] == [4, 3, 2, 1]
    assert result.estimated_delivery == "2011-02-11"  # the changed date wins
    assert result.service == "Xpresspost"
    assert result.recipient_post_code == "G1K4M7"
    assert result.linked_numbers == []
    assert {e.rule_id for e in result.events} == {
        "table:ca-post:1496",
        "table:ca-post:0174",
        "table:ca-post:2300",
        "table:ca-post:3000",
    }


def test_real_answer_with_a_noisy_time_zone() -> None:
    result = parse_answer("2116634025912396", _load("departed_real.xml"))

    assert isinstance(result, TrackingResult)
    times = [e.occurrence_datetime for e in result.events]
    assert times[0] == "2016-03-08T10:35:55-06:00"  # "CSTNO": Saskatchewan's CST
    assert times[-1] == "2016-03-07T15:03:11-06:00"
    assert times[-2] == "2016-03-07T15:38:34-05:00"  # an EST scan in Winnipeg, as sent
    assert result.estimated_delivery == "2016-03-14"
    assert result.signed_by is None


def test_unknown_pin_is_not_found() -> None:
    assert isinstance(parse_answer("1", _load("no_pin_history.xml")), TrackingNumberNotFound)


@pytest.mark.parametrize(
    ("code", "description", "error"),
    [
        ("E002", "AAA Authentication Failure", CourierAuthError),
        ("Server", "Rejected by SLM Monitor", CourierRateLimited),
        ("9999", "Something else", CourierResponseInvalid),
    ],
)
def test_messages_are_typed(code: str, description: str, error: type) -> None:
    body = (
        '<messages xmlns="http://www.canadapost.ca/ws/messages"><message>'
        f"<code>{code}</code><description>{description}</description></message></messages>"
    ).encode()
    assert type(parse_answer("1", body)) is error


def test_signature_linked_numbers_and_foreign_scans() -> None:
    body = b"""<tracking-detail xmlns="http://www.canadapost.ca/ws/track">
      <pin>LM029042024CA</pin><original-pin>7000000000000160</original-pin>
      <return-pin>7000000000000269</return-pin><significant-events>
      <occurrence><event-identifier>1498</event-identifier><event-date>2016-01-20</event-date>
        <event-time>00:00:00</event-time><event-time-zone/><event-description>Delivered
        </event-description><signatory-name>R SMITH</signatory-name></occurrence>
      <occurrence><event-identifier>4310</event-identifier><event-date>2016-01-15</event-date>
        <event-time>14:02:00</event-time><event-time-zone>ISRAEL</event-time-zone>
        <event-description>Arrived in foreign country</event-description>
        <event-site>ILTLVA,Israel</event-site></occurrence>
      <occurrence><event-identifier>9999</event-identifier><event-date>2016-01-10</event-date>
        <event-time>10:00:00</event-time><event-time-zone>EST</event-time-zone>
        <event-description>Item being returned to sender</event-description></occurrence>
      </significant-events></tracking-detail>"""

    result = parse_answer("7000000000000160", body)

    assert isinstance(result, TrackingResult)
    assert result.signed_by == "R SMITH"
    assert result.linked_numbers == [
        LinkedTrackingNumber("LM029042024CA", "ca-post"),
        LinkedTrackingNumber("7000000000000269", "ca-post"),
    ]
    delivered, foreign, unknown = result.events
    assert delivered.occurrence_datetime == "2016-01-20"  # archived: a date only
    assert foreign.occurrence_datetime == "2016-01-15T14:02:00"  # no Canadian zone: local
    assert foreign.status_code == "destination_arrival"
    assert unknown.status_code == "exception_return"  # the normaliser read the text
    assert not unknown.rule_id.startswith("table:")


@pytest.mark.parametrize(
    "body",
    [
        b"<tracking-detail",
        b'<!DOCTYPE x [<!ENTITY a "b">]><tracking-detail/>',
        b"<pin-summary/>",
        b'<tracking-detail xmlns="http://www.canadapost.ca/ws/track"><significant-events>'
        b"<occurrence><event-date>yesterday</event-date></occurrence></significant-events>"
        b"</tracking-detail>",
    ],
)
def test_broken_answers_are_invalid(body: bytes) -> None:
    assert isinstance(parse_answer("1", body), CourierResponseInvalid)


def test_zones_and_times() -> None:
    assert zone_offset("PDT") == "-07:00"
    assert zone_offset("NST") == "-03:30"
    assert zone_offset("ISRAEL") is None
    assert zone_offset(None) is None
    assert event_time("2016-01-01", "08:00:00", "") == "2016-01-01T08:00:00"
    assert event_time("2016-01-01", None, "EST") == "2016-01-01"
    assert event_time("01/01/2016", "08:00:00", "EST") is None


def test_notice_cards_use_their_own_resource() -> None:
    assert resource("123456789012345") == "dnc/123456789012345/detail"
    assert resource("7000000000000160") == "pin/7000000000000160/detail"
