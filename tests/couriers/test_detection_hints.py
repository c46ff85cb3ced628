"""Ambiguous numbers answer every valid candidate; the tracker's hints move the right one up."""

from __future__ import annotations

import courier_numbers as numbers
import pytest

from shiptrack.couriers.detection import Candidate, candidate_json, detect

#: A 12-digit number whose check digit is right for four carriers' algorithms at once.
TWELVE = "307926538884"


def codes(candidates: list[Candidate]) -> list[str]:
    return [c.courier_code for c in candidates]


def test_the_ambiguous_number_really_is_valid_for_four_formats() -> None:
    assert numbers.valid_fedex_12(TWELVE)
    assert numbers.valid_purolator_12(TWELVE)
    assert numbers.valid_identcode(TWELVE)
    assert numbers.valid_gls_12(TWELVE)


def test_ambiguous_digit_only_number_returns_every_valid_candidate() -> None:
    got = detect(TWELVE)
    assert set(codes(got)) == {"fedex", "purolator", "dhl", "gls"}
    assert all(c.check_digit == "verified" for c in got)
    # Plain digits with a check digit: plausible, not certain.
    assert all(c.confidence <= 0.6 for c in got)


@pytest.mark.parametrize("named", ["fedex", "purolator", "dhl", "gls"])
def test_a_named_courier_code_moves_that_courier_to_the_top(named: str) -> None:
    got = detect(TWELVE, courier_codes=[named])
    assert got[0].courier_code == named
    assert "courier named by the tracker" in got[0].reason
    assert set(codes(got)) == {"fedex", "purolator", "dhl", "gls"}


def test_a_named_courier_that_does_not_fit_is_not_added() -> None:
    got = detect(TWELVE, courier_codes=["ups"])
    assert "ups" not in codes(got)
    assert detect("HELLO", courier_codes=["ups"]) == []


def test_a_named_courier_beats_a_country_hint() -> None:
    got = detect(TWELVE, courier_codes=["gls"], destination_country_code="CA")
    assert got[0].courier_code == "gls"
    assert got[1].courier_code == "purolator"


@pytest.mark.parametrize(
    ("hints", "top"),
    [
        ({"destination_country_code": "CA"}, "purolator"),
        ({"destination_country_code": "CAN"}, "purolator"),  # alpha-3 accepted
        ({"origin_country_code": "CA"}, "purolator"),
        ({"destination_country_code": "US"}, "fedex"),
        ({"destination_country_code": "DE"}, "dhl"),
        ({"destination_post_code": "K1A 0B1"}, "purolator"),  # a Canadian post code
    ],
)
def test_country_hints_boost_couriers_of_that_country(hints: dict, top: str) -> None:
    got = detect(TWELVE, **hints)
    assert got[0].courier_code == top
    assert "country" in got[0].reason
    assert set(codes(got)) == {"fedex", "purolator", "dhl", "gls"}


def test_country_hints_never_exceed_one() -> None:
    got = detect(
        "RR123456785GB",
        courier_codes=["gb-post"],
        origin_country_code="GB",
        destination_country_code="GB",
    )
    assert got[0].confidence == 1.0


def test_s10_destination_postal_operator_joins_the_candidates() -> None:
    assert codes(detect("LX123456785CN")) == ["cn-post"]
    got = detect("LX123456785CN", destination_country_code="US")
    assert codes(got) == ["cn-post", "us-post"]
    assert got[1].format_name == "UPU S10 (destination operator)"
    assert got[1].check_digit == "verified"
    assert "USPS" in got[1].reason


def test_s10_origin_hint_confirms_the_issuing_operator() -> None:
    plain = detect("LX123456785CN")[0]
    hinted = detect("LX123456785CN", origin_country_code="CHN")[0]
    assert hinted.courier_code == "cn-post"
    assert hinted.confidence > plain.confidence
    assert "CN is the origin country" in hinted.reason


def test_s10_destination_named_courier_wins() -> None:
    got = detect("LX123456785CN", destination_country_code="US", courier_codes=["us-post"])
    assert codes(got) == ["us-post", "cn-post"]


def test_s10_same_country_adds_nothing() -> None:
    assert codes(detect("RR123456785GB", destination_country_code="GB")) == ["gb-post"]


def test_usps_routing_zip_matching_the_post_code_raises_confidence() -> None:
    n = "420221539101026837331000039521"  # routes to ZIP 22153
    plain = detect(n)[0]
    same = detect(n, destination_post_code="22153-1234")[0]
    other = detect(n, destination_post_code="90210")[0]
    assert plain.courier_code == same.courier_code == "us-post"
    assert same.confidence > plain.confidence
    assert "post code" in same.reason
    assert other.confidence == plain.confidence


def test_dpd_label_postcode_matching_the_post_code_raises_confidence() -> None:
    n = "008182709980000020033350276C"  # postcode 0081827 → 81827
    plain = detect(n)[0]
    same = detect(n, destination_post_code="81827")[0]
    assert same.confidence > plain.confidence


def test_impb_with_92_is_usps_first_and_fedex_smartpost_when_named() -> None:
    n = "9261292700768711948021"
    assert codes(detect(n)) == ["us-post", "fedex"]
    got = detect(n, courier_codes=["fedex"])
    assert codes(got) == ["fedex", "us-post"]
    assert got[0].format_name == "FedEx SmartPost (IMpb)"


def test_a_single_courier_code_string_is_one_code() -> None:
    assert detect(TWELVE, courier_codes="gls")[0].courier_code == "gls"  # type: ignore[arg-type]


def test_courier_code_hints_are_case_insensitive() -> None:
    assert detect(TWELVE, courier_codes=[" GLS "])[0].courier_code == "gls"


def test_unknown_country_hints_are_ignored() -> None:
    assert detect(TWELVE, destination_country_code="ZZZ") == detect(TWELVE)
    assert detect(TWELVE, destination_country_code="1") == detect(TWELVE)


def test_candidate_json() -> None:
    candidate = detect("RB123456785GB")[0]
    assert candidate_json(candidate) == {
        "courierCode": "gb-post",
        "courierName": "Royal Mail",
        "formatName": "UPU S10",
        "checkDigit": "verified",
        "confidence": 0.97,
        "reason": candidate.reason,
    }
