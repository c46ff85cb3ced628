"""The documented example numbers of the carriers with their own connectors are detected.

Examples come from the carriers' API reference material (``shared/reference/apis/``): the
Canada Post tracking-detail sample PIN, Royal Mail's 1D barcode from its Tracking API v2
specification, PostNL's 3S barcode from its ShippingStatus specification, a Purolator PIN from
a real answer, and S10 numbers of each postal operator.
"""

from __future__ import annotations

import pytest

from shiptrack.couriers.detection import detect


@pytest.mark.parametrize(
    ("number", "courier", "format_name"),
    [
        ("1371134583769923", "ca-post", "Canada Post (16)"),
        ("FQ087430672GB", "gb-post", "UPU S10"),
        ("3SDEVC288882229", "nl-post", "PostNL 3S"),
        ("333343150996", "purolator", "Purolator (12)"),
        ("RR123456785AU", "au-post", "UPU S10"),
        ("CP123456785NO", "no-post", "UPU S10"),
        ("RR123456785SE", "se-post", "UPU S10"),
        ("RR123456785DK", "dk-post", "UPU S10"),
        ("RR123456785CA", "ca-post", "UPU S10"),
        ("RR123456785NL", "nl-post", "UPU S10"),
        # Australia Post's tracking reference: an eParcel article id.
        ("7XX1000634011427", "au-post", "Australia Post eParcel article"),
    ],
)
def test_documented_example_is_detected(number: str, courier: str, format_name: str) -> None:
    candidates = detect(number)
    assert candidates, number
    assert (candidates[0].courier_code, candidates[0].format_name) == (courier, format_name)


@pytest.mark.parametrize("number", ["ET123456789AU", "LX123456789US"])
def test_illustrative_numbers_with_a_wrong_check_digit_are_not_s10(number: str) -> None:
    # Australia Post's reference lists these as ID shapes; their S10 check digit is wrong
    # (12345678 → 5), so no S10 family answers them.
    assert all(c.format_name != "UPU S10" for c in detect(number))
