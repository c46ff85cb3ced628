"""All fake carrier servers at once, playing sandbox journeys for carrier-format numbers.

``shiptrack fake-couriers`` and the end-to-end tests run the fake USPS, UPS, FedEx, DHL,
La Poste, InPost, Bring, PostNord, Australia Post, Canada Post, PostNL, Royal Mail and
Purolator servers
(``couriers/connectors/<carrier>/fake.py``) side by side on 127.0.0.1, one port each, and
point shiptrack's real connectors at them (``FakeCouriers.env()``)::

    fakes = await start_fake_couriers(base_port=0)      # 0: any free ports
    fakes.env()       # SHIPTRACK_UPS_BASE_URL, SHIPTRACK_UPS_CLIENT_ID, ... for each carrier
    number = fakes.number("ups", "DELIVERED")           # 1ZSHPTRK03000001 + digit + check
    ...
    await fakes.aclose()

**Which journey a number plays.** A fake only knows numbers in its carrier's format with a
valid check digit (so that detection routes them to that carrier, see ``docs/detection.md``);
anything else is the carrier's "not found" answer. The journey comes from the sandbox scenario
engine (``sandbox.playback.play``, see ``docs/sandbox.md``):

1. a number given a journey with :meth:`FakeCouriers.assign` (any sandbox number:
   ``SHIP24_SAMPLE_…``, an ``SBX-…`` script, a registered ``SBX_<NAME>``) plays that journey;
2. any other valid number plays the journey its **selector digit** picks (:data:`SELECTORS`):
   the last digit of the serial, just before the check digit (for UPS a letter there counts
   as UPS's check-digit value of the letter; for S10 numbers the 8th serial digit)::

       0 PENDING (never found)   4 FAILED_ATTEMPT          8 SBX_REDELIVERY (plays over time)
       1 INFO_RECEIVED           5 AVAILABLE_FOR_PICKUP    9 SBX_FLAKY (faults, then delivered)
       2 IN_TRANSIT              6 DELIVERED
       3 OUT_FOR_DELIVERY        7 EXCEPTION

   e.g. UPS ``1ZSHPTRK030000016`` + check is DELIVERED, ``…0000012`` + check IN_TRANSIT.

Formats each fake knows (anything else: "not found"), and what :meth:`FakeCouriers.number`
generates (a counter as serial, then the selector digit, then the check digit):

* ``usps``: IMpb ``9[1-5]`` + 20/24/28 digits, GS1 mod 10. Generates ``94001`` + 15-digit
  serial + selector + check (22 digits).
* ``ups``: ``1Z`` + 15 characters, UPS mod 10. Generates ``1ZSHPTRK03`` + 6-digit serial +
  selector + check (18).
* ``fedex``: 12 digits (FedEx mod 11) or 15 digits (GS1 mod 10). Generates ``7`` + 9-digit
  serial + selector + check (12).
* ``dhl``: DHL Express waybill, 10 digits, mod 7. Generates ``1`` + 7-digit serial + selector
  + check (10).
* ``laposte``: S10 ``XX`` + 8 digits + check + ``FR`` (``C…`` = Colissimo, else La Poste);
  Colissimo digit + letter + 11 digits (no check digit; selector = last digit). Generates
  ``LA`` + 7-digit serial + selector + check + ``FR`` (13).
* ``inpost``: 24 digits (no check digit; selector = last digit). Generates ``60`` + 21-digit
  serial + selector (24).
* ``bring``, ``postnord``, ``auspost``: S10 ``XX`` + 8 digits + check + ``NO``, ``SE`` or
  ``AU``. Generate ``LA`` + 7-digit serial + selector + check + country (13).
* ``canadapost``, ``postnl``, ``royalmail``, ``purolator``: each carrier's ``fake.py`` declares
  its format (``recognise``, ``make_number``), credentials and what its codes can say
  (``EXPRESSIBLE``): a 16-digit PIN with its mod 10 check (``7`` + serial + selector + check);
  a 3S barcode ``3SSHPT`` + 8-digit serial + selector; an S10 ``RR`` … ``GB`` number; a
  12-digit Purolator PIN with its Luhn check (``3`` + serial + selector + check).

Generated numbers are skipped until detection ranks the carrier first and no other fake
carrier among the engine's picks, so a tracker without ``courierCode`` asks exactly that
carrier.

Each fake keeps, per number, when it first saw it (the journey's start, as a carrier learns of
a parcel; :meth:`FakeCouriers.start` fixes it) and how many tracking calls asked for it (the
check count that drives a script's fault schedule, ``_NF2``, ``_RL1R30``…). Scripted journeys
play at ``time_scale``; samples are history and come back whole at the first call.

**How a journey is shown.** The whole journey, hand-over legs included, is reported under the
tracked carrier number, as an aggregator would: every event gets that tracking number; data
events the carrier has no code for (``data_delivery_proposed`` at USPS…) are left out, as the
carrier would not have them, while scans it cannot classify come back as its plain in-transit
scan with the journey's text (``docs/connectors.md`` lists what each carrier loses); a
leg's own number in an event text (``handed over to USPS, tracking number …``) becomes a
made-up number in the postal operator's format; no linked number is reported, so the engine
has nothing to follow and every leg's events arrive once. Carriers that send a UTC offset with
every scan (USPS, UPS, FedEx, La Poste) get the place's real offset on journey times written
as plain local times; DHL's timestamps are sent as the journey writes them.

**Faults.** Scripted faults (``_SE``, ``_RL``, ``_BAD``, ``_AUTH``, ``_NF``) come back in each
carrier's wire format; a scripted timeout (``_TO``) makes the server really hang for
``hang_seconds`` before a 503, past the connector's timeout. Tests also flip faults per
server: :meth:`FakeCouriers.fail` (the next calls answer 429/5xx/malformed…),
:meth:`FakeCouriers.hang`, :meth:`FakeCouriers.expire_tokens`, :meth:`FakeCouriers.state`
(the ``FakeState`` with request counters).

One module on purpose: the carriers' number formats (``CarrierFormat``), the journeys they
select and the servers that play them are one contract with the end-to-end tests; each
carrier's wire protocol already lives in its connector's ``fake.py``.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import functools
import hashlib
import importlib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import web

from shiptrack.couriers.connectors.fakesource import FAKE_STATE, FakeState, JourneySource
from shiptrack.couriers.connectors.protocol import CourierError, TrackingResult
from shiptrack.couriers.detection import detect
from shiptrack.couriers.detection.checkdigits import (
    fedex_mod11_check,
    gs1_mod10_check,
    mod7_check,
    s10_check,
    ups_check,
)
from shiptrack.couriers.fake_ports import CARRIERS, DEFAULT_BASE_PORT
from shiptrack.couriers.sandbox import numbers as sandbox_numbers
from shiptrack.couriers.sandbox.model import ScenarioError, utc_now
from shiptrack.couriers.sandbox.playback import SandboxTimeout, play
from shiptrack.couriers.sandbox.scenario import resolve
from shiptrack.tracking.logistics_time import format_as

__all__ = [
    "CARRIERS",
    "DEFAULT_BASE_PORT",
    "JOURNEY_NAMES",
    "SELECTORS",
    "CarrierJourneys",
    "FakeCarrier",
    "FakeCouriers",
    "carrier_of",
    "expressible",
    "start_fake_couriers",
]

#: Selector digit → the sandbox journey a number plays (samples by milestone, or a
#: registered scenario ``SBX_<NAME>``).
SELECTORS: dict[int, str] = {
    0: "SHIP24_SAMPLE_PENDING",
    1: "SHIP24_SAMPLE_INFO_RECEIVED",
    2: "SHIP24_SAMPLE_IN_TRANSIT",
    3: "SHIP24_SAMPLE_OUT_FOR_DELIVERY",
    4: "SHIP24_SAMPLE_FAILED_ATTEMPT",
    5: "SHIP24_SAMPLE_AVAILABLE_FOR_PICKUP",
    6: "SHIP24_SAMPLE_DELIVERED",
    7: "SHIP24_SAMPLE_EXCEPTION",
    8: "SBX_REDELIVERY",
    9: "SBX_FLAKY",
}
#: Short names accepted by :meth:`FakeCouriers.number` (``"DELIVERED"``, ``"FLAKY"``…).
JOURNEY_NAMES: dict[str, int] = {
    journey.removeprefix("SHIP24_SAMPLE_").removeprefix("SBX_"): selector
    for selector, journey in SELECTORS.items()
}

_UPS_SHIPPER = "SHPTRK03"  # shipper account (6) + service code 03 (UPS Ground)


# --- carrier formats ---------------------------------------------------------------------------


def _digit(char: str) -> int:
    """A selector digit: the digit itself, or UPS's check-digit value of a letter."""
    return int(char) if char.isdigit() else (ord(char) - 3) % 10


def _usps(number: str) -> tuple[str, int] | None:
    if (
        len(number) in (22, 26, 30)
        and number.isdigit()
        and number[0] == "9"
        and "1" <= number[1] <= "5"
        and gs1_mod10_check(number[:-1]) == int(number[-1])
    ):
        return "us-post", int(number[-2])
    return None


def _ups(number: str) -> tuple[str, int] | None:
    if (
        len(number) == 18
        and number.startswith("1Z")
        and number.isalnum()
        and number.isascii()
        and number[17].isdigit()
        and ups_check(number[2:17]) == int(number[17])
    ):
        return "ups", _digit(number[16])
    return None


def _fedex(number: str) -> tuple[str, int] | None:
    if not number.isdigit():
        return None
    if len(number) == 12 and fedex_mod11_check(number[:11]) == int(number[11]):
        return "fedex", int(number[10])
    if len(number) == 15 and gs1_mod10_check(number[:14]) == int(number[14]):
        return "fedex", int(number[13])
    return None


def _dhl(number: str) -> tuple[str, int] | None:
    if len(number) == 10 and number.isdigit() and mod7_check(number[:9]) == int(number[9]):
        return "dhl-express", int(number[8])
    return None


_S10_FR = re.compile(r"^[A-Z]{2}\d{9}FR$")
_COLISSIMO = re.compile(r"^\d[A-Z]\d{11}$")


def _laposte(number: str) -> tuple[str, int] | None:
    if _S10_FR.match(number) and s10_check(number[2:10]) == int(number[10]):
        return ("colissimo" if number[0] == "C" else "fr-post"), int(number[9])
    if _COLISSIMO.match(number):
        return "colissimo", int(number[-1])
    return None


def _inpost(number: str) -> tuple[str, int] | None:
    if len(number) == 24 and number.isdigit():
        return "inpost-pl", int(number[-1])
    return None


def _s10_of(country: str, courier_code: str) -> Callable[[str], tuple[str, int] | None]:
    """An S10 recogniser for one issuing country (Bring ``NO``, PostNord ``SE``…)."""
    shape = re.compile(rf"^[A-Z]{{2}}\d{{9}}{country}$")

    def recognise(number: str) -> tuple[str, int] | None:
        if shape.match(number) and s10_check(number[2:10]) == int(number[10]):
            return courier_code, int(number[9])
        return None

    return recognise


def _make_s10_of(country: str) -> Callable[[int, int], str]:
    def make(serial: int, selector: int) -> str:
        digits = f"{serial:07d}{selector}"
        return f"LA{digits}{s10_check(digits)}{country}"

    return make


def _make_inpost(serial: int, selector: int) -> str:
    return f"60{serial:021d}{selector}"


def _make_usps(serial: int, selector: int) -> str:
    body = f"94001{serial:015d}{selector}"
    return f"{body}{gs1_mod10_check(body)}"


def _make_ups(serial: int, selector: int) -> str:
    body = f"{_UPS_SHIPPER}{serial:06d}{selector}"
    return f"1Z{body}{ups_check(body)}"


def _make_fedex(serial: int, selector: int) -> str:
    body = f"7{serial:09d}{selector}"
    return f"{body}{fedex_mod11_check(body)}"


def _make_dhl(serial: int, selector: int) -> str:
    body = f"1{serial:07d}{selector}"
    return f"{body}{mod7_check(body)}"


def _make_laposte(serial: int, selector: int) -> str:
    digits = f"{serial:07d}{selector}"
    return f"LA{digits}{s10_check(digits)}FR"


@dataclass(frozen=True, slots=True)
class CarrierFormat:
    """What one fake carrier recognises and how it renders journeys."""

    name: str
    #: The Ship24 courier codes of the carrier's connector (a generated number must be
    #: detected as one of these first, and as no other carrier's).
    courier_codes: frozenset[str]
    #: number → (courier code of the journey, selector digit), or None when not this format.
    recognise: Callable[[str], tuple[str, int] | None]
    #: (serial, selector) → a valid number.
    make: Callable[[int, int], str]
    #: The carrier sends a UTC offset with every scan.
    offsets: bool
    #: The serial numbers ``make`` accepts.
    serials: int


FORMATS: dict[str, CarrierFormat] = {
    "usps": CarrierFormat("usps", frozenset({"us-post"}), _usps, _make_usps, True, 10**15),
    "ups": CarrierFormat("ups", frozenset({"ups"}), _ups, _make_ups, True, 10**6),
    "fedex": CarrierFormat("fedex", frozenset({"fedex"}), _fedex, _make_fedex, True, 10**9),
    "dhl": CarrierFormat(
        "dhl",
        frozenset({"dhl", "dhl-express", "dhl-global-mail", "de-post", "dhl-packet"}),
        _dhl,
        _make_dhl,
        False,
        10**7,
    ),
    "laposte": CarrierFormat(
        "laposte",
        frozenset({"fr-post", "colissimo", "chronopost"}),
        _laposte,
        _make_laposte,
        True,
        10**7,
    ),
    "inpost": CarrierFormat(
        "inpost", frozenset({"inpost-pl"}), _inpost, _make_inpost, True, 10**21
    ),
    "bring": CarrierFormat(
        "bring",
        frozenset({"bring", "no-post"}),
        _s10_of("NO", "no-post"),
        _make_s10_of("NO"),
        True,
        10**7,
    ),
    "postnord": CarrierFormat(
        "postnord",
        frozenset({"postnord", "se-post", "dk-post"}),
        _s10_of("SE", "se-post"),
        _make_s10_of("SE"),
        False,
        10**7,
    ),
    "auspost": CarrierFormat(
        "auspost",
        frozenset({"au-post"}),
        _s10_of("AU", "au-post"),
        _make_s10_of("AU"),
        True,
        10**7,
    ),
}
#: Carriers whose ``fake.py`` declares its own format, credentials and vocabulary.
DECLARED = ("canadapost", "postnl", "royalmail", "purolator")


def _declared(name: str) -> Any:
    return importlib.import_module(f"shiptrack.couriers.connectors.{name}.fake")


for _name in DECLARED:
    _module = _declared(_name)
    FORMATS[_name] = CarrierFormat(
        _name,
        _module.COURIER_CODES,
        _module.recognise,
        _module.make_number,
        _module.OFFSETS,
        _module.SERIALS,
    )
_ALL_CODES = frozenset().union(*(f.courier_codes for f in FORMATS.values()))


def _normalise(number: str) -> str:
    return re.sub(r"[\s-]", "", number).upper()


def carrier_of(number: str) -> str | None:
    """The fake carrier whose format ``number`` has (with a valid check digit), or None."""
    number = _normalise(number)
    for name, spec in FORMATS.items():
        if spec.recognise(number) is not None:
            return name
    return None


def _routes_to(spec: CarrierFormat, number: str) -> bool:
    """Detection puts this carrier first and no other fake carrier among the engine's picks."""
    candidates = [c for c in detect(number) if c.confidence >= 0.3][:3]
    return (
        bool(candidates)
        and candidates[0].courier_code in spec.courier_codes
        and all(c.courier_code not in _ALL_CODES - spec.courier_codes for c in candidates)
    )


# --- journeys ----------------------------------------------------------------------------------

#: Set while a fake handles a request: a scripted timeout asks the server to hang.
_HANG_REQUEST: contextvars.ContextVar[list[bool]] = contextvars.ContextVar("shiptrack_fake_hang")

_LEG_POSTS = {
    "us-post": "US",
    "gb-post": "GB",
    "de-post": "DE",
    "ca-post": "CA",
    "fr-post": "FR",
    "nl-post": "NL",
    "cn-post": "CN",
    "jp-post": "JP",
    "au-post": "AU",
}


@functools.cache
def expressible(carrier: str) -> frozenset[str]:
    """The Ship24 status codes ``carrier``'s own event codes can say (its status table)."""
    if carrier in DECLARED:
        return frozenset(_declared(carrier).EXPRESSIBLE)
    if carrier == "usps":
        from shiptrack.couriers.connectors.usps.statuses import STATUS_CODES as usps

        tables: list[Mapping[str, str | None]] = [usps]
    elif carrier == "ups":
        from shiptrack.couriers.connectors.ups.statuses import STATUS_CODES, STATUS_TYPES

        tables = [STATUS_CODES, STATUS_TYPES]
    elif carrier == "fedex":
        from shiptrack.couriers.connectors.fedex.statuses import EVENT_TYPES

        # A DE scan with a DEX code says "attempted" or "refused".
        tables = [EVENT_TYPES, {"DE08": "delivery_attempted", "DE07": "delivery_refused"}]
    elif carrier == "dhl":
        from shiptrack.couriers.connectors.dhl.statuses import EXPRESS_EVENT_CODES

        # Its statusCode enum says "pre-transit" for any data event: "order created".
        tables = [EXPRESS_EVENT_CODES, {"pre-transit": "data_order_created"}]
    elif carrier == "laposte":
        from shiptrack.couriers.connectors.laposte.statuses import EVENT_CODES

        tables = [EVENT_CODES]
    else:  # the carriers whose fake declares what its vocabulary can say
        fake = importlib.import_module(f"shiptrack.couriers.connectors.{carrier}.fake")
        return frozenset(fake.EXPRESSIBLE)
    return frozenset(code for table in tables for code in table.values() if code)


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _leg_reference(number: str, courier_code: str | None, leg: int) -> str:
    """A made-up tracking number of a hand-over leg, in the postal operator's format."""
    serial = _digest(f"{number}.{leg}")
    if courier_code == "us-post":
        body = f"92001{serial % 10**16:016d}"
        return f"{body}{gs1_mod10_check(body)}"
    digits = f"{serial % 10**8:08d}"
    country = _LEG_POSTS.get(courier_code or "", "XX")
    return f"LX{digits}{s10_check(digits)}{country}"


class CarrierJourneys:
    """Which sandbox journey each carrier number plays, and the journey sources of the fakes.

    ``source(carrier)`` is the ``JourneySource`` a fake app is built with: ``number →
    TrackingResult | CourierError | None`` (None: not a number of that carrier).
    """

    def __init__(
        self, *, clock: Callable[[], dt.datetime] = utc_now, time_scale: float = 1.0
    ) -> None:
        if time_scale <= 0:
            raise ValueError(f"time_scale must be positive, got {time_scale}")
        self.clock = clock
        self.time_scale = time_scale
        self._assigned: dict[str, str] = {}
        self._started: dict[str, dt.datetime] = {}
        self._checks: Counter[str] = Counter()

    # -- mapping ---------------------------------------------------------------------------

    def assign(self, number: str, journey: str) -> str:
        """Make carrier number ``number`` play sandbox journey ``journey``; the normalised
        number. ``ValueError`` when no fake carrier knows the number or the journey is not a
        valid sandbox number (``docs/sandbox.md``)."""
        number = _normalise(number)
        if carrier_of(number) is None:
            raise ValueError(
                f"{number}: not a number of any fake carrier (see shiptrack.couriers."
                "fakes for the formats)"
            )
        journey = sandbox_numbers.normalise(journey)
        if sandbox_numbers.split_leg(journey)[1]:
            raise ValueError(f"{journey}: give the journey's own number, not a leg's")
        try:
            resolved = resolve(journey)
        except ScenarioError as exc:
            raise ValueError(str(exc)) from None
        if resolved is None:
            raise ValueError(f"{journey}: not a sandbox number (SHIP24_SAMPLE_…, SBX-…, SBX_…)")
        self._assigned[number] = journey
        return number

    def journey_for(self, carrier: str, number: str) -> str | None:
        """The sandbox journey ``carrier``'s fake plays for ``number`` (None: not its format)."""
        number = _normalise(number)
        recognised = FORMATS[carrier].recognise(number)
        if recognised is None:
            return None
        if number in self._assigned:
            return self._assigned[number]
        journey = SELECTORS[recognised[1]]
        tag = _digest(number)
        if journey.startswith(sandbox_numbers.SAMPLE_PREFIX):
            return f"{journey}_{tag % 1000:03d}"
        return f"{journey}_{tag % 10000:04d}"

    def start(self, number: str, started_at: dt.datetime) -> None:
        """Fix when the carrier learnt of ``number`` (default: the first call about it)."""
        self._started[_normalise(number)] = started_at

    def checks(self, number: str) -> int:
        """Tracking calls that asked about ``number`` so far."""
        return self._checks[_normalise(number)]

    # -- playing ---------------------------------------------------------------------------

    def source(self, carrier: str) -> JourneySource:
        spec = FORMATS[carrier]

        def answer(number: str) -> TrackingResult | CourierError | None:
            return self.answer(spec, number)

        return answer

    def answer(self, spec: CarrierFormat, number: str) -> TrackingResult | CourierError | None:
        number = _normalise(number)
        recognised = spec.recognise(number)
        journey = self.journey_for(spec.name, number)
        if recognised is None or journey is None:
            return None
        now = self.clock()
        started = self._started.setdefault(number, now)
        checks = self._checks[number]
        self._checks[number] += 1
        outcome = play(journey, started, now, checks, self.time_scale)
        if outcome is None:  # cannot happen: journeys are validated sandbox numbers
            return None
        if isinstance(outcome, SandboxTimeout):
            hang = _HANG_REQUEST.get(None)
            if hang is not None:
                hang.append(True)
            return outcome
        if isinstance(outcome, CourierError):
            return outcome
        return self._as_carrier(spec, outcome, number, recognised[0], journey, started)

    def _as_carrier(
        self,
        spec: CarrierFormat,
        result: TrackingResult,
        number: str,
        courier_code: str,
        journey: str,
        started: dt.datetime,
    ) -> TrackingResult:
        resolved = resolve(journey)
        assert resolved is not None
        scenario = resolved[0]
        anchor = scenario.anchor_time(started)
        references = {
            sandbox_numbers.leg_number(journey, leg): _leg_reference(
                number, scenario.legs[leg].courier_code, leg
            )
            for leg in range(1, len(scenario.legs))
        }
        events = []
        for event in result.events:
            code = event.status_code
            if code and code.startswith("data_") and code not in expressible(spec.name):
                continue  # a carrier with no word for it has no such event
            when = event.occurrence_datetime
            if spec.offsets and event.order is not None and not scenario.shuffle:
                planned = scenario.events[event.order - 1]
                if planned.time_form == "local":
                    when = format_as("offset", anchor + planned.at, planned.utc_offset)
            text = event.status
            for leg_number, reference in references.items():
                text = text.replace(leg_number, reference) if text else text
            events.append(
                replace(
                    event,
                    tracking_number=number,
                    occurrence_datetime=when,
                    status=text,
                    courier_code=courier_code,
                )
            )
        return replace(
            result,
            tracking_number=number,
            courier_code=courier_code,
            events=events,
            linked_numbers=[],
        )


# --- the servers -------------------------------------------------------------------------------


@dataclass(slots=True)
class HangSwitch:
    """Makes the next requests to one fake hang (then answer 504)."""

    seconds: float = 0.0
    remaining: int | None = None

    def set(self, seconds: float, times: int | None = None) -> None:
        self.seconds, self.remaining = seconds, times

    def clear(self) -> None:
        self.seconds, self.remaining = 0.0, None

    def take(self) -> float:
        seconds = self.seconds
        if seconds and self.remaining is not None:
            self.remaining -= 1
            if self.remaining <= 0:
                self.clear()
        return seconds


@dataclass(slots=True)
class FakeCarrier:
    """One running fake carrier server."""

    name: str
    url: str
    app: web.Application
    #: ``{"client_id", "client_secret"}`` (USPS, UPS, FedEx), ``{"api_key"}`` (DHL, La Poste,
    #: InPost, PostNord), plus ``api_uid`` (Bring) or ``password`` and ``account_number``
    #: (Australia Post).
    credentials: dict[str, str]
    runner: web.AppRunner | None = None
    hang: HangSwitch = field(default_factory=HangSwitch)
    #: HTTP statuses answered so far, token requests included (``statuses[401]``: how many
    #: calls came with an expired or unknown token).
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def state(self) -> FakeState:
        return self.app[FAKE_STATE]


DEFAULT_CREDENTIALS: dict[str, dict[str, str]] = {
    "usps": {"client_id": "fake-usps-consumer-key", "client_secret": "fake-usps-consumer-secret"},
    "ups": {"client_id": "fake-ups-client-id", "client_secret": "fake-ups-client-secret"},
    "fedex": {"client_id": "fake-fedex-api-key", "client_secret": "fake-fedex-secret-key"},
    "dhl": {"api_key": "fake-dhl-api-key"},
    "laposte": {"api_key": "fake-laposte-okapi-key"},
    "inpost": {"api_key": "fake-inpost-shipx-token"},
    "bring": {"api_key": "fake-bring-api-key", "api_uid": "fake-mybring-user@example.com"},
    "postnord": {"api_key": "fake-postnord-api-key"},
    "auspost": {
        "api_key": "fake-auspost-api-key",
        "password": "fake-auspost-password",
        "account_number": "0123456789",
    },
    **{name: dict(_declared(name).CREDENTIALS) for name in DECLARED},
}


def _build_app(
    name: str, source: JourneySource, credentials: Mapping[str, str], token_lifetime: float
) -> web.Application:
    if name in DECLARED:
        return _declared(name).create_app(source, **credentials)  # type: ignore[no-any-return]
    if name == "usps":
        from shiptrack.couriers.connectors.usps import fake as usps

        return usps.create_app(source, **credentials, token_lifetime=token_lifetime)
    if name == "ups":
        from shiptrack.couriers.connectors.ups import fake as ups

        return ups.create_app(source, **credentials, token_lifetime=token_lifetime)
    if name == "fedex":
        from shiptrack.couriers.connectors.fedex import fake as fedex

        return fedex.create_app(source, **credentials, token_lifetime=token_lifetime)
    if name == "dhl":
        from shiptrack.couriers.connectors.dhl import fake as dhl

        return dhl.create_app(source, api_key=credentials["api_key"])
    if name == "laposte":
        from shiptrack.couriers.connectors.laposte import fake as laposte

        return laposte.create_app(source, api_key=credentials["api_key"])
    # The carriers whose fake takes its credentials as keyword arguments.
    fake = importlib.import_module(f"shiptrack.couriers.connectors.{name}.fake")
    return fake.create_app(source, **credentials)


def _hang_middleware(carrier: FakeCarrier, hang_seconds: float) -> Callable[..., object]:
    @web.middleware
    async def hang(request: web.Request, handler: Callable[..., object]) -> web.StreamResponse:
        seconds = carrier.hang.take()
        if seconds:
            await asyncio.sleep(seconds)
            carrier.statuses[504] += 1
            return web.json_response({"error": "gateway timeout"}, status=504)
        requested: list[bool] = []
        token = _HANG_REQUEST.set(requested)
        try:
            response = await handler(request)  # type: ignore[operator]
        finally:
            _HANG_REQUEST.reset(token)
        carrier.statuses[response.status] += 1  # type: ignore[attr-defined]
        if requested:  # a scripted timeout: answer (503) only after the client gave up
            await asyncio.sleep(hang_seconds)
        return response  # type: ignore[return-value]

    return hang


_ENV_NAMES = {
    "client_id": "CLIENT_ID",
    "client_secret": "CLIENT_SECRET",
    "api_key": "API_KEY",
    "api_uid": "API_UID",
    "password": "PASSWORD",
    "account_number": "ACCOUNT_NUMBER",
}
#: Relaxed limits for the fakes (they have no quota): calls per second, seconds per number.
RELAXED_RATE_LIMIT = 50.0
RELAXED_MIN_INTERVAL = 60.0


class FakeCouriers:
    """The running fake carriers; from :func:`start_fake_couriers`."""

    def __init__(
        self, carriers: Mapping[str, FakeCarrier], journeys: CarrierJourneys, hang_seconds: float
    ) -> None:
        self.carriers = dict(carriers)
        self.journeys = journeys
        self.hang_seconds = hang_seconds
        self._serials = itertools.count(1)

    @property
    def urls(self) -> dict[str, str]:
        """Carrier → origin URL (``http://127.0.0.1:8801``)."""
        return {name: carrier.url for name, carrier in self.carriers.items()}

    @property
    def credentials(self) -> dict[str, dict[str, str]]:
        """Carrier → the fake credentials it accepts."""
        return {name: dict(carrier.credentials) for name, carrier in self.carriers.items()}

    def env(self, *, relaxed_limits: bool = False) -> dict[str, str]:
        """``SHIPTRACK_<CARRIER>_BASE_URL`` and the credential variables that point shiptrack's
        connectors at the fakes. ``relaxed_limits`` adds ``_RATE_LIMIT`` and ``_MIN_INTERVAL``
        values that lift the real carriers' quotas (USPS: 60 calls an hour), which the fakes
        do not have."""
        env: dict[str, str] = {}
        for name, carrier in self.carriers.items():
            prefix = f"SHIPTRACK_{name.upper()}_"
            env[f"{prefix}BASE_URL"] = carrier.url
            for key, value in carrier.credentials.items():
                env[f"{prefix}{_ENV_NAMES[key]}"] = value
            if relaxed_limits:
                env[f"{prefix}RATE_LIMIT"] = f"{RELAXED_RATE_LIMIT:g}"
                env[f"{prefix}MIN_INTERVAL"] = f"{RELAXED_MIN_INTERVAL:g}"
        return env

    # -- numbers and journeys ----------------------------------------------------------------

    def number(self, carrier: str, journey: str | int = "DELIVERED") -> str:
        """A new number of ``carrier``'s format (valid check digit, detected as that carrier)
        that plays ``journey``: a selector digit, a name of :data:`JOURNEY_NAMES`
        (``"DELIVERED"``, ``"FLAKY"``…), or any sandbox number (then assigned to the number).
        Each call gives a different number."""
        spec = FORMATS[carrier]
        assign: str | None = None
        if isinstance(journey, int):
            selector = journey
            if selector not in SELECTORS:
                raise ValueError(f"selector {selector}: expected 0-9")
        elif journey.upper() in JOURNEY_NAMES:
            selector = JOURNEY_NAMES[journey.upper()]
        else:
            assign, selector = journey, 6
        for serial in self._serials:
            number = spec.make(serial % spec.serials, selector)
            if _routes_to(spec, number):
                break
        if assign is not None:
            self.journeys.assign(number, assign)
        return number

    def assign(self, number: str, journey: str) -> str:
        """Make ``number`` play sandbox ``journey`` (see :meth:`CarrierJourneys.assign`)."""
        return self.journeys.assign(number, journey)

    def start(self, number: str, started_at: dt.datetime) -> None:
        self.journeys.start(number, started_at)

    def examples(self, journeys: Iterable[str] = JOURNEY_NAMES) -> dict[str, dict[str, str]]:
        """Journey name → carrier → a number playing it (fixed numbers: serial 1)."""
        return {
            name: {
                carrier: _first_routed(FORMATS[carrier], JOURNEY_NAMES[name])
                for carrier in self.carriers
            }
            for name in journeys
        }

    # -- faults ------------------------------------------------------------------------------

    def state(self, carrier: str) -> FakeState:
        """The fake's state: fault switch, token store, request counters."""
        return self.carriers[carrier].state

    def fail(
        self,
        carrier: str,
        *,
        status: int = 503,
        retry_after: str | None = None,
        malformed: bool = False,
        times: int | None = None,
    ) -> None:
        """The next ``times`` tracking calls to ``carrier`` (all until :meth:`clear` when None)
        answer ``status`` (with ``Retry-After``), or a malformed 200 body."""
        self.state(carrier).faults.set(
            status=200 if malformed else status,
            retry_after=retry_after,
            malformed=malformed,
            times=times,
        )

    def hang(self, carrier: str, seconds: float | None = None, times: int | None = None) -> None:
        """The next ``times`` requests to ``carrier`` (all until :meth:`clear`) hang
        ``seconds`` (default ``hang_seconds``) before a 504."""
        self.carriers[carrier].hang.set(self.hang_seconds if seconds is None else seconds, times)

    def clear(self, carrier: str | None = None) -> None:
        """Remove injected faults and hangs (of one carrier, or all)."""
        for name in [carrier] if carrier else list(self.carriers):
            self.carriers[name].state.faults.clear()
            self.carriers[name].hang.clear()

    def expire_tokens(self, carrier: str | None = None) -> None:
        """Expire every token issued so far (the next call with one gets a 401)."""
        for name in [carrier] if carrier else list(self.carriers):
            self.carriers[name].state.tokens.revoke_all()

    # -- lifecycle ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        for carrier in self.carriers.values():
            if carrier.runner is not None:
                await carrier.runner.cleanup()
                carrier.runner = None

    async def __aenter__(self) -> FakeCouriers:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()


def _first_routed(spec: CarrierFormat, selector: int) -> str:
    for serial in itertools.count(1):
        number = spec.make(serial % spec.serials, selector)
        if _routes_to(spec, number):
            return number
    raise AssertionError("unreachable")


async def start_fake_couriers(
    host: str = "127.0.0.1",
    base_port: int = DEFAULT_BASE_PORT,
    *,
    time_scale: float = 1.0,
    token_lifetime: float = 3600.0,
    hang_seconds: float = 30.0,
    clock: Callable[[], dt.datetime] = utc_now,
    credentials: Mapping[str, Mapping[str, str]] | None = None,
    carriers: Iterable[str] = CARRIERS,
) -> FakeCouriers:
    """Start the fake carriers on ``host``: ``usps`` on ``base_port``, ``ups`` on
    ``base_port + 1``, then the others in ``CARRIERS`` order (``base_port=0``: free ports).

    ``time_scale`` plays scripted journeys faster (simulated seconds per real second);
    ``token_lifetime`` is how long OAuth tokens stay valid (seconds, server clock);
    ``hang_seconds`` how long a scripted timeout or :meth:`FakeCouriers.hang` hangs.
    """
    journeys = CarrierJourneys(clock=clock, time_scale=time_scale)
    running: dict[str, FakeCarrier] = {}
    try:
        for index, name in enumerate(CARRIERS):
            if name not in carriers:
                continue
            secrets = dict((credentials or {}).get(name) or DEFAULT_CREDENTIALS[name])
            app = _build_app(name, journeys.source(name), secrets, token_lifetime)
            carrier = FakeCarrier(name, "", app, secrets)
            app.middlewares.append(_hang_middleware(carrier, hang_seconds))  # type: ignore[arg-type]
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            await runner.setup()
            carrier.runner = runner
            running[name] = carrier
            site = web.TCPSite(runner, host, base_port + index if base_port else 0)
            await site.start()
            port = runner.addresses[0][1]
            shown = f"[{host}]" if ":" in host else host
            carrier.url = f"http://{shown}:{port}"
    except BaseException:
        await FakeCouriers(running, journeys, hang_seconds).aclose()
        raise
    return FakeCouriers(running, journeys, hang_seconds)
