"""The courier catalogue is well-formed, complete for detection, and served in Ship24's shape."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import orjson
import pycountry
import pytest

from shiptrack.couriers import catalogue
from shiptrack.couriers.catalogue import Courier
from shiptrack.couriers.detection import s10

KEYS = [
    "courierCode",
    "courierName",
    "website",
    "isPost",
    "countryCode",
    "requiredFields",
    "isDeprecated",
]
REQUIRED_FIELD_VALUES = {"destinationPostCode", "destinationCountryCode", "courierAccount"}
CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
#: Country suffixes of the UPU S10 system (one designated postal operator each).
S10_COUNTRIES = (
    "AF AL DZ AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI KH CM CA "
    "CV CF TD CL CN HK CO KM CG CR HR CU CY CZ CI KP CD DK DJ DM DO EC EG SV GQ ER EE ET FJ FI FR "
    "GA GM GE DE GH GB GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KR KW "
    "KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MR MU MX MD MC MN ME MA MZ MM NA NR NP NL NZ "
    "NI NE NG NO OM PK PA PG PY PE PH PL PT QA RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI "
    "SB SO ZA SS ES LK SD SR SZ SE CH SY TJ TZ TH MK TL TG TO TT TN TR TM TV UG UA AE US UY UZ VU "
    "VA VE VN YE ZM ZW MO JE GG IM GI FO GL NC PF AW CW TW"
).split()


def raw_items() -> list[dict]:
    path = resources.files("shiptrack.couriers").joinpath("data", "couriers.json")
    return json.loads(path.read_bytes())["couriers"]


def test_data_file_is_well_formed() -> None:
    items = raw_items()
    assert len(items) > 250
    codes = [item["courierCode"] for item in items]
    assert len(codes) == len(set(codes)), "duplicate courier codes"
    for item in items:
        assert list(item) == [*KEYS, "trackingUrl"], item
        assert CODE.fullmatch(item["courierCode"]), item
        assert isinstance(item["courierName"], str)
        assert item["courierName"].strip() == item["courierName"] != ""
        website = item["website"]
        assert website is None or website.strip() == website, item
        assert website is None or website.startswith(("https://", "http://")), item
        url = item["trackingUrl"]
        assert url is None or url.startswith(("https://", "http://")), item
        assert url is None or url.count(catalogue.TRACKING_NUMBER_PLACEHOLDER) == 1, item
        assert isinstance(item["isPost"], bool)
        assert isinstance(item["isDeprecated"], bool)
        country = item["countryCode"]
        assert country is None or pycountry.countries.get(alpha_2=country) is not None, item
        required = item["requiredFields"]
        assert required is None or set(required) <= REQUIRED_FIELD_VALUES, item


def test_every_ship24_courier_is_in_the_catalogue() -> None:
    """The 1,538 codes of Ship24's catalogue (the 2024 capture) plus shiptrack's own."""
    codes = {item["courierCode"] for item in raw_items()}
    assert len(codes) >= 1538 + 4
    for code in ("139express", "007ex", "zhonglu-logistics", "palletways", "yodel", "sandbox"):
        assert catalogue.is_known(code), code


def test_the_2026_openapi_examples_win_over_the_2024_capture() -> None:
    fr_post = catalogue.get_courier("fr-post")
    palletways = catalogue.get_courier("palletways")
    assert fr_post is not None
    assert palletways is not None
    assert fr_post.required_fields == ("destinationCountryCode",)
    assert (palletways.country_code, palletways.required_fields) == ("GB", ("destinationPostCode",))


def test_capture_values_are_normalised() -> None:
    inpost_uk = catalogue.get_courier("inpost-uk")
    amazon_uk = catalogue.get_courier("amazon-uk")
    assert inpost_uk is not None
    assert amazon_uk is not None
    assert inpost_uk.country_code == "GB"  # "UK" in the capture
    assert amazon_uk.website == "https://www.amazon.co.uk/"  # trailing space in the capture


def test_own_entries_keep_what_ship24_lacks() -> None:
    canpar = catalogue.get_courier("canpar")
    kp_post = catalogue.get_courier("kp-post")
    assert canpar is not None
    assert kp_post is not None
    assert canpar.country_code == "CA"  # Ship24: null
    assert canpar.website == "https://www.canpar.ca/"  # Ship24's, replacing ours
    assert (kp_post.is_post, kp_post.country_code) == (True, "KP")  # not in Ship24's list


BUILD = Path(__file__).resolve().parents[2] / "scripts" / "couriers" / "build.py"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"


@pytest.mark.skipif(
    not (SHARED / "ship24-couriers.json").is_file(), reason="needs ../shared/reference"
)
def test_data_file_is_what_the_build_script_makes() -> None:
    result = subprocess.run(
        [sys.executable, str(BUILD), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_tracking_page_url_encodes_the_number() -> None:
    assert catalogue.tracking_page_url("us-post", "9400 1/#?&x=1%") == (
        "https://m.usps.com/m/TrackConfirmAction_detail?tLabels=9400%201%2F%23%3F%26x%3D1%25"
    )
    assert catalogue.tracking_page_url("ups", " 1Z999AA10123456784 ") == (
        "https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z999AA10123456784"
    )
    assert catalogue.tracking_page_url("007ex", "X1") is None  # no known page
    assert catalogue.tracking_page_url("nope", "X1") is None


def test_data_file_is_sorted_by_code() -> None:
    codes = [item["courierCode"] for item in raw_items()]
    assert codes == sorted(codes)


def test_postal_operators_follow_the_iso2_post_convention() -> None:
    for c in catalogue.all_couriers():
        if c.code.endswith("-post") and len(c.code) == 7:
            assert c.is_post, c
            assert c.country_code == c.code[:2].upper(), c


@pytest.mark.parametrize("country", S10_COUNTRIES)
def test_every_s10_country_has_a_postal_operator(country: str) -> None:
    operator = catalogue.postal_operator_for_country(country)
    assert operator is not None
    assert operator.is_post
    assert operator.code == f"{country.lower()}-post"
    assert s10.postal_operators()[country] == (operator.code, operator.name)


def test_the_issue_s_courier_codes_are_present() -> None:
    for code in (
        "us-post ups fedex dhl dhl-express gb-post cn-post ca-post au-post de-post nl-post "
        "fr-post colissimo amazon ontrac lasership purolator canpar dpd yodel yun-express "
        "cainiao 4px sf-express gls hermes-uk parcel-force inpost-pl jt-express"
    ).split():
        assert catalogue.is_known(code), code


def test_sandbox_courier() -> None:
    assert catalogue.get_courier("sandbox") == Courier(
        code="sandbox",
        name="shiptrack sandbox",
        website=None,
        is_post=False,
        country_code=None,
        required_fields=None,
        is_deprecated=False,
    )


@pytest.mark.parametrize(
    ("code", "name", "is_post", "country", "required"),
    [
        ("us-post", "USPS", True, "US", None),
        ("gb-post", "Royal Mail", True, "GB", None),
        ("nl-post", "PostNL", True, "NL", ()),
        ("ups", "UPS", False, None, None),
        ("gls", "GLS", False, None, ("destinationPostCode",)),
        ("hermes-uk", "Evri/Hermes UK", False, "GB", None),
    ],
)
def test_ship24_values_are_kept(
    code: str, name: str, is_post: bool, country: str | None, required: tuple | None
) -> None:
    c = catalogue.get_courier(code)
    assert c is not None
    assert (c.name, c.is_post, c.country_code, c.required_fields) == (
        name,
        is_post,
        country,
        required,
    )


def test_lookups() -> None:
    assert catalogue.get_courier("UPS") is None  # codes are case-sensitive lower case
    assert catalogue.get_courier("nope") is None
    assert not catalogue.is_known("nope")
    assert catalogue.is_known("ups")
    assert catalogue.postal_operator_for_country("gb") == catalogue.get_courier("gb-post")
    assert catalogue.postal_operator_for_country("XX") is None
    assert catalogue.postal_operator_for_country("GBR") is None
    assert catalogue.all_couriers() is catalogue.all_couriers()  # loaded once


def test_all_couriers_are_ordered_by_name() -> None:
    names = [(c.name.casefold(), c.code) for c in catalogue.all_couriers()]
    assert names == sorted(names)


def test_courier_json_has_ship24_keys_in_order() -> None:
    c = catalogue.get_courier("gls")
    assert c is not None
    assert catalogue.courier_json(c) == {
        "courierCode": "gls",
        "courierName": "GLS",
        "website": "https://gls-group.eu/EU/en/home",
        "isPost": False,
        "countryCode": None,
        "requiredFields": ["destinationPostCode"],
        "isDeprecated": False,
    }
    assert list(catalogue.courier_json(c)) == KEYS


def test_ship24_keys_are_ship24_s_in_order() -> None:
    assert list(catalogue.SHIP24_KEYS) == KEYS


def test_response_body() -> None:
    body = catalogue.couriers_response_body()
    assert body is catalogue.couriers_response_body()  # prebuilt once
    decoded = orjson.loads(body)
    assert list(decoded) == ["data"]
    assert list(decoded["data"]) == ["couriers"]
    couriers = decoded["data"]["couriers"]
    assert len(couriers) == len(catalogue.all_couriers())
    assert couriers[0] == catalogue.courier_json(catalogue.all_couriers()[0])
    assert all(list(item) == KEYS for item in couriers)


def _build_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("courier_build", BUILD)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("template", "website", "agree"),
    [
        ("https://wwwapps.ups.com/x?n={trackingNumber}", "https://www.ups.com", True),
        ("https://www.dpdgroup.com/t?p={trackingNumber}", "http://www.dpd.com/", True),
        ("https://www.canpar.com/t?r={trackingNumber}", "https://www.canpar.ca/", True),
        ("https://www.bulgarianposts.bg/t/{trackingNumber}", "http://www.bgpost.bg/", False),
        ("https://www.yuntrack.com/p?id={trackingNumber}", "http://www.yunexpress.com/", False),
        ("https://www.ups.com/t/{trackingNumber}", None, False),
    ],
)
def test_build_refuses_tracking_pages_off_the_courier_s_site(
    template: str, website: str | None, agree: bool
) -> None:
    assert _build_module().hosts_agree(template, website) is agree
