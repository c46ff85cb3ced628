from __future__ import annotations

import datetime as dt

import pytest

from shiptrack.couriers.sandbox import numbers
from shiptrack.couriers.sandbox.model import Fault, ScenarioError
from shiptrack.couriers.sandbox.scenario import (
    parse_script,
    register_scenario,
    registered_scenarios,
    resolve,
    scenario_for,
)

H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("script", "codes", "hours"),
    [
        ("SBX-DL", ["delivery_delivered"], [0]),
        # default spacing 6 h between events without a duration
        ("SBX-OC-HO-DL", ["data_order_created", "transit_handover", "delivery_delivered"],
         [0, 6, 12]),
        # a duration replaces the default gap; compound durations add up
        ("SBX-OC-1D12H-HO-30M-SC", ["data_order_created", "transit_handover", None],
         [0, 36, 36.5]),
        # a leading duration delays the first event; 0M puts two events at the same time
        ("SBX-2H-OF-0M-DL", ["delivery_out_for_delivery", "delivery_delivered"], [2, 2]),
        # NOW: what comes before already happened when tracking started
        ("SBX-OC-1D-HO-NOW-2H-DL", ["data_order_created", "transit_handover",
                                    "delivery_delivered"], [-24, 0, 2]),
        ("SBX-OC-HO-NOW", ["data_order_created", "transit_handover"], [-6, 0]),
        # G<duration> sets the default gap; a numeric tag is ignored
        ("SBX-OC-HO-DL_G1H_0042", ["data_order_created", "transit_handover",
                                   "delivery_delivered"], [0, 1, 2]),
        # SC is a scan without status code; every code has a two-letter step
        ("SBX-OX-DP-DD-DE-AR-CR-CE-CJ-CC-AT-AP-DX-RF-RT-LO-DS_G1M",
         ["data_order_cancelled", "data_delivery_proposed", "data_delivery_decided",
          "transit_origin_country_departure", "destination_arrival", "customs_received",
          "customs_exception", "customs_rejected", "customs_cleared", "delivery_attempted",
          "delivery_available_for_pickup", "delivery_exception", "delivery_refused",
          "exception_return", "exception_lost", "exception_discarded"],
         [i / 60 for i in range(16)]),
    ],
)
def test_steps_become_timed_events(
    script: str, codes: list[str | None], hours: list[float]
) -> None:
    scenario = parse_script(script)
    assert [e.status_code for e in scenario.events] == codes
    assert [e.at / H for e in scenario.events] == hours
    assert scenario.anchor == "start"


def test_modifiers() -> None:
    events = parse_script("SBX-OC.Y-HO.Z-DE.O-AR.D-CC.L1D6H-DL.D.L2H.Z").events
    assert [e.time_form for e in events] == ["date", "utc", "offset", "local", "local", "utc"]
    assert [e.copies for e in events] == [1, 1, 1, 2, 1, 2]
    assert [e.late_by / H for e in events] == [0, 0, 0, 0, 30, 2]
    assert events[4].reveal_at == events[4].at + 30 * H


def test_options() -> None:
    scenario = parse_script("SBX-OC-DL_DUP_SHUF_SPLIT_CN2US")
    assert (scenario.duplicate_all, scenario.shuffle, scenario.split_legs) == (True, True, True)
    assert (scenario.origin_country_code, scenario.destination_country_code) == ("CN", "US")
    plain = parse_script("SBX-OC-DL")
    assert (plain.duplicate_all, plain.shuffle, plain.split_legs) == (False, False, False)
    assert (plain.origin_country_code, plain.destination_country_code) == ("US", "US")


def test_faults_are_a_schedule_of_checks() -> None:
    scenario = parse_script("SBX-DL_NF2_TO_SE1R10_RL2R45_BAD_AUTH_OK3_RL_SE")
    assert scenario.faults == (
        Fault("NF", 2),
        Fault("TO", 1),
        Fault("SE", 1, 10.0),
        Fault("RL", 2, 45.0),
        Fault("BAD", 1),
        Fault("AUTH", 1),
        Fault("OK", 3),
        Fault("RL", 1, 30.0),
        Fault("SE", 1, None),
    )
    kinds = [f.kind if (f := scenario.fault_at(i)) else None for i in range(16)]
    assert kinds == ["NF", "NF", "TO", "SE", "RL", "RL", "BAD", "AUTH", None, None, None,
                     "RL", "SE", None, None, None]


def test_hand_over_legs() -> None:
    scenario = parse_script("SBX-OC-HO-DE-AR-CC/US-HO-OF-DL_CN2US")
    assert [leg.courier_code for leg in scenario.legs] == ["sandbox", "us-post"]
    assert [e.leg for e in scenario.events] == [0] * 5 + [1] * 3
    assert scenario.events[0].location is None  # a data event
    assert scenario.events[1].location == "SHENZHEN, GUANGDONG, CN"
    assert scenario.events[3].location == "JAMAICA, NY, US"
    assert scenario.events[1].utc_offset == 8 * H
    assert scenario.events[-1].utc_offset == -5 * H
    three = parse_script("SBX-OC-HO/GB-SC/DE-OF-DL")
    assert [leg.courier_code for leg in three.legs] == ["sandbox", "gb-post", "de-post"]
    assert three.destination_country_code == "DE"  # the last hand-over's country


def test_delivered_scripts_have_an_eta_around_the_delivery() -> None:
    scenario = parse_script("SBX-OC-1D-DL")
    assert scenario.eta is not None
    assert (scenario.eta.start / H, scenario.eta.end / H) == (21, 25)
    assert parse_script("SBX-OC-1D-OF").eta is None


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("SBX-", "empty step"),
        ("SBX-OC--DL", "empty step"),
        ("SBX-QQ", "unknown step 'QQ'"),
        ("SBX-OC-DLX", "unknown step 'DLX'"),
        ("SBX-6X-DL", "'6X' is not a duration"),
        ("SBX-OC.Q", "unknown modifier 'Q' on OC"),
        ("SBX-OC.LX", "'X' is not a duration"),
        ("SBX-NOW", "the first leg has no events"),
        ("SBX-OC-NOW-DL-NOW", "NOW appears twice"),
        ("SBX-OC/ZZ-DL", "unknown country 'ZZ'"),
        ("SBX-OC/US", "hand-over '/US' has no events"),
        ("SBX-OC/US-1D", "hand-over '/US' has no events"),
        ("SBX-OC_XYZ", "unknown option 'XYZ'"),
        ("SBX-OC_NF0", "at least one check"),
        ("SBX-OC_NFR30", "Retry-After"),
        ("SBX-OC_CN2ZZ", "unknown country 'ZZ'"),
        ("SBX-OC_G", "unknown option 'G'"),
        ("SBX-OC_G6X", "'6X' is not a duration"),
        ("SBY-OC", "starts with 'SBX-'"),
    ],
)
def test_bad_scripts_are_rejected_with_a_clear_message(script: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as caught:
        parse_script(script)
    assert str(caught.value).startswith(script)


def test_scripts_are_case_insensitive() -> None:
    assert parse_script("sbx-oc-dl_nf2") == parse_script("SBX-OC-DL_NF2")


def test_registered_scenarios_play_under_sbx_name() -> None:
    long_script = "SBX-OC-" + "-".join(["SC"] * 30) + "-OF-DL"
    assert len(long_script) > numbers.MAX_LENGTH
    register_scenario("thirtyscans", long_script)
    register_scenario("THIRTYSCANS", long_script)  # the same again: fine
    assert registered_scenarios()["THIRTYSCANS"] == long_script
    assert len(scenario_for("SBX_THIRTYSCANS").events) == 33
    # options after the name are appended to the registered script's own
    assert scenario_for("SBX_THIRTYSCANS_NF2_7").faults == (Fault("NF", 2),)
    with pytest.raises(ScenarioError, match="already registered"):
        register_scenario("THIRTYSCANS", "SBX-DL")
    with pytest.raises(ScenarioError, match="letters and digits"):
        register_scenario("NO_UNDERSCORE", "SBX-DL")
    with pytest.raises(ScenarioError, match="unknown step"):
        register_scenario("BROKEN", "SBX-ZZ")
    with pytest.raises(ScenarioError, match="no scenario named 'NOPE'"):
        scenario_for("SBX_NOPE")


@pytest.mark.parametrize("name", sorted(registered_scenarios()))
def test_built_in_registered_scenarios_parse(name: str) -> None:
    assert scenario_for(f"SBX_{name}").events


def test_inline_scripts_fit_in_a_tracking_number() -> None:
    with pytest.raises(ScenarioError, match="longer than 50 characters"):
        scenario_for("SBX-" + "-".join(["SC"] * 16))


@pytest.mark.parametrize(
    ("number", "journey", "leg"),
    [
        ("SBX-OC-HO/US-DL", "SBX-OC-HO/US-DL", 0),
        ("sbx-oc-ho/us-dl.2", "SBX-OC-HO/US-DL", 1),
        ("SBX-OC-HO/US-SC/GB-DL.3", "SBX-OC-HO/US-SC/GB-DL", 2),
        ("SHIP24_SAMPLE_DELIVERED_123.2", "SHIP24_SAMPLE_DELIVERED_123", 1),
        ("SBX-OC-DL.D", "SBX-OC-DL.D", 0),
    ],
)
def test_resolve_splits_leg_numbers(number: str, journey: str, leg: int) -> None:
    resolved = resolve(number)
    assert resolved is not None
    assert resolved[1:] == (journey, leg)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("SBX-OC-DL.2", "has no leg 2"),
        ("SHIP24_SAMPLE_IN_TRANSIT_000.2", "has no leg 2"),
        ("SHIP24_SAMPLE_ARRIVED_000", "MILESTONE one of PENDING, INFO_RECEIVED"),
        ("SHIP24_SAMPLE_DELIVERED_12", "3 digits"),
        ("SBX-OC-HO-SC-SC-SC-SC-SC-SC-SC-SC-SC-SC/US-OF-DL1", "unknown step"),
        ("SBX-OC-HO-SC-SC-SC-SC-SC-SC-SC-SC-SC/US-OF-DL_1234", "at most 48 characters"),
    ],
)
def test_resolve_rejects_invalid_sandbox_numbers(number: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        resolve(number)


@pytest.mark.parametrize("number", ["1Z999AA10123456784", "SHIP24SAMPLE", "SB-OC", "XSBX-OC"])
def test_resolve_ignores_other_numbers(number: str) -> None:
    assert resolve(number) is None
