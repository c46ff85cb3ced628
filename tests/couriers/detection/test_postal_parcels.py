"""Bring and PostNord parcel numbers (GS1 SSCC with a Nordic company prefix) and Australia Post
eParcel article ids: valid numbers answer the carrier with its reason, invalid ones do not."""

from __future__ import annotations

import pytest

from shiptrack.couriers.detection import detect


def gs1(body: str) -> str:
    """GS1 mod 10 (weights 3,1,… from the right), written independently of the detector."""
    total = sum(int(ch) * (3 if i % 2 == 0 else 1) for i, ch in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


NORWAY = gs1("37071234500000001")  # extension 3, GS1 Norway company prefix 7071234…
SWEDEN = gs1("07350012300004711")  # GS1 Sweden
DENMARK = gs1("15790001234500001")  # GS1 Denmark
FINLAND = gs1("06412345000000123")  # GS1 Finland


@pytest.mark.parametrize(
    ("number", "courier", "format_name", "country"),
    [
        (NORWAY, "bring", "Bring package number (SSCC)", "Norway"),
        ("00" + NORWAY, "bring", "Bring package number (SSCC)", "Norway"),
        (SWEDEN, "postnord", "PostNord item id (SSCC)", "Sweden"),
        ("00" + DENMARK, "postnord", "PostNord item id (SSCC)", "Denmark"),
        (FINLAND, "postnord", "PostNord item id (SSCC)", "Finland"),
    ],
)
def test_nordic_sscc_names_the_carrier_first(
    number: str, courier: str, format_name: str, country: str
) -> None:
    top = detect(number)[0]
    assert (top.courier_code, top.format_name, top.check_digit) == (
        courier,
        format_name,
        "verified",
    )
    assert country in top.reason
    assert f"check digit {number[-1]} verified" in top.reason
    assert top.confidence == 0.55
    # FedEx Ground also labels with SSCC: still a candidate, ranked below.
    assert "fedex" in [c.courier_code for c in detect(number)]


@pytest.mark.parametrize("number", [NORWAY, SWEDEN, "00" + DENMARK])
def test_a_wrong_check_digit_answers_no_nordic_carrier(number: str) -> None:
    for digit in "0123456789":
        if digit == number[-1]:
            continue
        wrong = number[:-1] + digit
        assert not {"bring", "postnord"} & {c.courier_code for c in detect(wrong)}, wrong


@pytest.mark.parametrize(
    "number",
    [
        gs1("34012345600000001"),  # GS1 France: not a Nordic prefix
        "11" + NORWAY,  # 20 digits without the AI 00
        NORWAY[:-1],  # 17 digits
    ],
)
def test_other_sscc_shapes_are_not_nordic(number: str) -> None:
    assert not {"bring", "postnord"} & {c.courier_code for c in detect(number)}


def test_eparcel_article_id() -> None:
    (candidate,) = detect("2JD5012345011412")
    assert (candidate.courier_code, candidate.format_name) == (
        "au-post",
        "Australia Post eParcel article",
    )
    assert candidate.check_digit == "none"
    assert candidate.confidence == 0.6
    assert "merchant location 2JD" in candidate.reason
    assert "consignment 5012345" in candidate.reason


@pytest.mark.parametrize(
    "number",
    [
        "2JD5012345001412",  # article 00
        "2JD5012345211412",  # article 21: at most 20 per consignment
        "2JD5012345011432",  # last-article indicator 3
        "1235012345011412",  # no letter in the merchant location id
        "2JD501234501141A",  # a letter after the location id
        "2JD501234501141",  # 15 characters
    ],
)
def test_not_eparcel_article_ids(number: str) -> None:
    assert "au-post" not in {c.courier_code for c in detect(number)}
