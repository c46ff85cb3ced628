"""The scenario grammar: a journey scripted in a tracking number, parsed into a :class:`Scenario`.

::

    number   = "SBX-" steps { "/" CC "-" steps } { "_" option }        (at most 50 characters)
             | "SBX_" NAME { "_" option }                             (a registered scenario)
    steps    = step { "-" step }
    step     = EVENT { "." modifier }     two letters, e.g. OC, HO, DL; SC = scan without code
             | duration                   1D, 6H, 30M, 45S, 1D12H: time before the next event
             | "NOW"                      tracking starts here (earlier events are history)
    modifier = "D"                        listed twice in every response (a duplicate)
             | "L" duration               reported that long after it happened (a late scan)
             | "Y" | "Z" | "O"            written as a date only / in UTC / with its offset
    option   = "G" duration               spacing between events without a duration (6H)
             | CC "2" CC                  route, e.g. CN2US (default US2US)
             | "DUP" | "SHUF" | "SPLIT"    all events twice / shuffled order / legs unaggregated
             | fault [count] ["R" secs]   NF TO SE RL BAD AUTH, or OK: the next checks' outcome
             | digits                     a tag: a distinct number for the same journey

``/CC`` hands the parcel over to country CC's postal operator (``/US`` → ``us-post``), whose
events are reported under the tracking number ``<number>.2`` (``.3`` for a third leg…).
``docs/sandbox.md`` is the user's guide, with examples.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from shiptrack.couriers.sandbox import numbers
from shiptrack.couriers.sandbox.journeys import SAMPLES
from shiptrack.couriers.sandbox.model import (
    Fault,
    FaultKind,
    Scenario,
    ScenarioError,
    TimeForm,
)
from shiptrack.couriers.sandbox.places import COUNTRIES
from shiptrack.couriers.sandbox.planner import EVENT_CODES, Modifiers, Step, plan
from shiptrack.status.taxonomy import MILESTONES

__all__ = [
    "ScenarioError",
    "number_problem",
    "parse_script",
    "register_scenario",
    "registered_scenarios",
    "resolve",
    "scenario_for",
]

_DURATION = re.compile(r"^(?:\d+[DHMS])+$")
_DURATION_PART = re.compile(r"(\d+)([DHMS])")
_UNIT_SECONDS = {"D": 86_400, "H": 3_600, "M": 60, "S": 1}
_FAULT = re.compile(r"^(NF|TO|SE|RL|BAD|AUTH|OK)(\d*)(?:R(\d+))?$")
_ROUTE = re.compile(r"^([A-Z]{2})2([A-Z]{2})$")
_NAME = re.compile(r"^[A-Z][A-Z0-9]*$")
_SAMPLE = re.compile(r"^SHIP24_SAMPLE_([A-Z_]+)_(\d{3})$")
_DEFAULT_GAP = 6 * 3_600
_DEFAULT_RETRY_AFTER = {"RL": 30.0}
_EVENTS_HELP = ", ".join(EVENT_CODES)
_TIME_FORMS: dict[str, TimeForm] = {"Y": "date", "Z": "utc", "O": "offset"}


def duration_seconds(text: str) -> int:
    """``1D12H`` → 129600; raises ScenarioError when ``text`` is not a duration."""
    if not _DURATION.match(text):
        raise ScenarioError(f"{text!r} is not a duration: use digits and D, H, M or S, e.g. 6H")
    return sum(int(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(text))


def _parse_step(token: str) -> Step:
    if not token:
        raise ScenarioError("empty step (two '-' in a row?)")
    if token[0].isdigit():
        return duration_seconds(token)
    if token == "NOW":
        return "NOW"
    code, *mods = token.split(".")
    if code not in EVENT_CODES:
        raise ScenarioError(
            f"unknown step {token!r}: expected an event ({_EVENTS_HELP}), a duration such as "
            "6H or 1D12H, NOW, or '/CC' for a hand-over"
        )
    modifiers = Modifiers()
    for mod in mods:
        if mod == "D":
            modifiers.copies = 2
        elif mod[:1] == "L" and len(mod) > 1:
            modifiers.late_by = duration_seconds(mod[1:])
        elif mod in _TIME_FORMS:
            modifiers.time_form = _TIME_FORMS[mod]
        else:
            raise ScenarioError(
                f"unknown modifier {mod!r} on {code}: expected D (duplicate), L<duration> "
                "(late), Y (date only), Z (UTC) or O (with offset)"
            )
    return (code, modifiers)


def _country(code: str, where: str) -> str:
    if code not in COUNTRIES:
        raise ScenarioError(
            f"unknown country {code!r} in {where}: use one of {', '.join(COUNTRIES)}"
        )
    return code


def parse_script(script: str) -> Scenario:
    """Parse a ``SBX-`` script of any length (registered scenarios may exceed 50 characters)."""
    try:
        return _parse_script(numbers.normalise(script))
    except ScenarioError as exc:
        raise ScenarioError(f"{script}: {exc}") from None


@lru_cache(maxsize=4096)
def _parse_script(script: str) -> Scenario:
    if not script.startswith(numbers.SCRIPT_PREFIX):
        raise ScenarioError(f"a script starts with {numbers.SCRIPT_PREFIX!r}")
    body, *options = script[len(numbers.SCRIPT_PREFIX) :].split("_")
    first, *handovers = body.split("/")
    legs_steps: list[tuple[str | None, list[Step]]] = [
        (None, [_parse_step(t) for t in first.split("-")])
    ]
    for part in handovers:
        country, _, rest = part.partition("-")
        _country(country, f"hand-over '/{part}'")
        if not rest:
            raise ScenarioError(f"hand-over '/{country}' has no events: write /{country}-OF-DL")
        legs_steps.append((country, [_parse_step(t) for t in rest.split("-")]))

    gap, route, faults = _DEFAULT_GAP, None, []
    flags = {"DUP": False, "SHUF": False, "SPLIT": False}
    for option in options:
        if option.isdigit():
            continue
        if option in flags:
            flags[option] = True
        elif option.startswith("G") and option[1:2].isdigit():
            gap = duration_seconds(option[1:])
        elif (route_match := _ROUTE.match(option)) and route_match[1] in COUNTRIES:
            route = (route_match[1], _country(route_match[2], f"route {option!r}"))
        elif fault_match := _FAULT.match(option):
            kind, count, retry = fault_match.groups()
            if retry and kind not in ("RL", "SE"):
                raise ScenarioError(f"{option!r}: R<seconds> (Retry-After) is for RL and SE only")
            if count == "0":
                raise ScenarioError(f"{option!r}: a fault lasts at least one check")
            retry_after = float(retry) if retry else _DEFAULT_RETRY_AFTER.get(kind)
            faults.append(Fault(cast(FaultKind, kind), int(count or 1), retry_after))
        else:
            raise ScenarioError(
                f"unknown option {option!r}: expected G<duration>, a route like CN2US, DUP, "
                "SHUF, SPLIT, a fault (NF, TO, SE, RL, BAD, AUTH, OK, e.g. NF2 or RL1R30) "
                "or a numeric tag"
            )
    origin = route[0] if route else "US"
    destination = route[1] if route else (legs_steps[-1][0] or origin)
    legs, events, eta = plan(legs_steps, gap=gap, origin=origin, destination=destination)
    return Scenario(
        legs=legs,
        events=events,
        origin_country_code=origin,
        destination_country_code=destination,
        faults=tuple(faults),
        duplicate_all=flags["DUP"],
        shuffle=flags["SHUF"],
        split_legs=flags["SPLIT"],
        eta=eta,
    )


# --- registered scenarios ----------------------------------------------------------------

#: Named journeys longer than a tracking number can hold; ``SBX_<NAME>`` plays them.
_REGISTERED: dict[str, str] = {
    "LONGHAUL": "SBX-OC-8H-HO-4H-SC-10H-SC-1D-DE-14H-AR-2H-CR-20H-CC-6H-SC"
    "/US-1D-HO-10H-SC-1D-SC-12H-SC-3H-OF-6H-DL_CN2US",
    "REDELIVERY": "SBX-OC-4H-HO-8H-SC-12H-SC-10H-OF-7H-AT-1H-DD-15H-OF-5H-DL",
    "PICKUP": "SBX-OC-3H-HO-9H-SC-1D-OF-6H-AT-2H-AP-2D-DL",
    "RETURNED": "SBX-OC-5H-HO-1D-DE-12H-AR-1H-CR-4H-CE-2D-CJ-1D-RT_US2DE",
    "LOST": "SBX-OC-6H-HO-8H-SC-1D-SC-9D-LO",
    "FLAKY": "SBX-OC-2H-HO-6H-SC-6H-OF-4H-DL_NF2_TO_SE_RL1R30_BAD_OK2_SE2R10",
    "MESSY": "SBX-OC-HO.D-SC-SC.L1D-AR.D-OF-DL.Y_DUP_SHUF",
}


def register_scenario(name: str, script: str) -> None:
    """Make ``SBX_<name>`` play ``script`` (a full ``SBX-`` script of any length).

    Raises ScenarioError for a bad name or script, and for a name already registered with a
    different script.
    """
    name = numbers.normalise(name)
    if not _NAME.match(name):
        raise ScenarioError(f"scenario name {name!r}: letters and digits, starting with a letter")
    parse_script(script)
    script = numbers.normalise(script)
    if _REGISTERED.setdefault(name, script) != script:
        raise ScenarioError(f"scenario {name!r} is already registered with another script")


def registered_scenarios() -> dict[str, str]:
    """The registered scenarios, name → script."""
    return dict(_REGISTERED)


# --- numbers -----------------------------------------------------------------------------

_MILESTONE_HELP = ", ".join(m.upper() for m in MILESTONES)


def scenario_for(journey_number: str) -> Scenario:
    """The scenario a sandbox journey number (without a leg suffix) plays."""
    number = numbers.normalise(journey_number)
    if number.startswith(numbers.SAMPLE_PREFIX):
        match = _SAMPLE.match(number)
        if match is None or match[1].lower() not in SAMPLES:
            raise ScenarioError(
                f"{number}: a sample number is SHIP24_SAMPLE_<MILESTONE>_<3 digits> with "
                f"MILESTONE one of {_MILESTONE_HELP}"
            )
        return SAMPLES[match[1].lower()]
    if number.startswith(numbers.NAMED_PREFIX):
        name, *options = number[len(numbers.NAMED_PREFIX) :].split("_")
        if name not in _REGISTERED:
            raise ScenarioError(
                f"{number}: no scenario named {name!r}; registered: {', '.join(_REGISTERED)}"
            )
        return parse_script("_".join([_REGISTERED[name], *options]))
    if len(number) > numbers.MAX_LENGTH:
        raise ScenarioError(
            f"{number}: longer than {numbers.MAX_LENGTH} characters; register it as a named "
            "scenario instead"
        )
    return parse_script(number)


@lru_cache(maxsize=16_384)
def resolve(number: str) -> tuple[Scenario, str, int] | None:
    """``(scenario, journey number, leg index)`` for a sandbox number, None for another one.

    Raises ScenarioError when the number is the sandbox's but not a valid one (a bad script,
    a leg the journey does not have, a journey with legs too long for its leg numbers).
    Memoised (a check resolves its number twice: its answer and its next reveal): the
    answer depends on the number alone, a registered name's script never changes, and an
    error is not remembered.
    """
    number = numbers.normalise(number)
    if not numbers.is_sandbox_number(number):
        return None
    journey, leg = numbers.split_leg(number)
    scenario = scenario_for(journey)
    if leg >= len(scenario.legs):
        raise ScenarioError(f"{journey} has no leg {leg + 1}")
    if len(scenario.legs) > 1 and len(journey) > numbers.MAX_LENGTH - 2:
        raise ScenarioError(
            f"{journey}: a journey with hand-over legs is at most {numbers.MAX_LENGTH - 2} "
            "characters, so that its leg numbers (<number>.2) fit"
        )
    return scenario, journey, leg


def number_problem(number: str) -> str | None:
    """Why ``number``, written in the sandbox's form, can never be tracked (None when it is a
    valid sandbox number or not a sandbox number at all): shown in a tracker's diagnostics."""
    try:
        resolve(number)
    except ScenarioError as exc:
        return str(exc)
    return None
