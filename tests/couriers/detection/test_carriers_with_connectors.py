"""Numbers of Canada Post, PostNL, Royal Mail and Purolator reach their connectors.

Valid and invalid numbers per format: the carriers' documented examples (Canada Post's
tracking-detail sample PIN and a real archived S10 item, ``LM029042024CA``; PostNL's 3S
barcodes of its ShippingStatus specification, single and multi-collo; Royal Mail's 1D barcode
and 2D unique item id of its Tracking API v2 specification; Purolator PINs of
``tracking_number_data``'s ``purolator.json``), each with one character changed.
"""

from __future__ import annotations

import pytest

from shiptrack.couriers.detection import detect


@pytest.mark.parametrize(
    ("number", "courier", "format_name", "check_digit"),
    [
        ("1371134583769923", "ca-post", "Canada Post (16)", "verified"),
        ("LM029042024CA", "ca-post", "UPU S10", "verified"),
        ("3SDEVC288882229", "nl-post", "PostNL 3S", "none"),
        ("3SDEVC5672025", "nl-post", "PostNL 3S", "none"),
        ("CX123456785NL", "nl-post", "UPU S10", "verified"),
        ("FQ087430672GB", "gb-post", "UPU S10", "verified"),
        ("090367574000000FE1E1B", "gb-post", "Royal Mail 2D unique item id (21)", "none"),
        ("320606146993", "purolator", "Purolator (12)", "verified"),
        ("TLR000083964", "purolator", "Purolator (alpha)", "none"),
    ],
)
def test_valid_numbers_name_their_carrier_first(
    number: str, courier: str, format_name: str, check_digit: str
) -> None:
    top = detect(number)[0]
    assert (top.courier_code, top.format_name, top.check_digit) == (
        courier,
        format_name,
        check_digit,
    )
    assert top.reason
    assert 0 < top.confidence <= 1


@pytest.mark.parametrize(
    ("number", "courier"),
    [
        ("1371134583769924", "ca-post"),  # check digit
        ("LM029042025CA", "ca-post"),  # S10 check digit
        ("FQ087430673GB", "gb-post"),  # S10 check digit
        ("090367574000000FE1E1G", "gb-post"),  # G is not hexadecimal
        ("090367574000000123456", "gb-post"),  # all digits: not the 2D shape
        ("320606146994", "purolator"),  # Luhn
        ("620606146993", "purolator"),  # Purolator PINs start 0–5
        ("3SDEVC28888222X", "nl-post"),  # letters after the customer code
    ],
)
def test_invalid_numbers_get_no_candidate_from_that_carrier(number: str, courier: str) -> None:
    assert courier not in {c.courier_code for c in detect(number)}
