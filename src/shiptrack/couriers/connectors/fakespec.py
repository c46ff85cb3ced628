"""What a carrier package declares about its fake server: ``FAKE = FakeSpec(...)`` in
``<carrier>/fake.py``.

``shiptrack fake-couriers`` and the end-to-end tests find each carrier's fake through the
carrier's one ``shiptrack.connectors`` entry point (``shiptrack.couriers.fakes.discovery``):
the entry point names the carrier package, and the package's ``fake`` module exposes ``FAKE``.
The spec says which numbers the fake knows (its number format, with check digit), how to make
one that plays a chosen journey, what its status table can say, which credentials it accepts
and how to build its aiohttp app. Nothing here starts a server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from aiohttp import web

from shiptrack.couriers.connectors.fakesource import JourneySource
from shiptrack.couriers.detection.checkdigits import s10_check

#: ``(source, credentials, token_lifetime) → app``: the carrier's fake server.
AppFactory = Callable[[JourneySource, Mapping[str, str], float], web.Application]


def keyword_app(create: Callable[..., web.Application]) -> AppFactory:
    """The factory of a fake that takes its credentials as keyword arguments and has no
    token lifetime (InPost, Bring, PostNord, Australia Post)."""

    def build(
        source: JourneySource, credentials: Mapping[str, str], _lifetime: float
    ) -> web.Application:
        return create(source, **credentials)

    return build


def oauth_app(create: Callable[..., web.Application]) -> AppFactory:
    """The factory of an OAuth carrier's fake: ``create(source, *, client_id, client_secret,
    token_lifetime)`` (USPS, UPS, FedEx)."""

    def build(
        source: JourneySource, credentials: Mapping[str, str], lifetime: float
    ) -> web.Application:
        return create(source, **credentials, token_lifetime=lifetime)

    return build


def says(*tables: Mapping[str, str | None]) -> frozenset[str]:
    """The Ship24 status codes a carrier's status tables can say."""
    return frozenset(code for table in tables for code in table.values() if code)


def s10_format(
    country: str, courier_code: str
) -> tuple[Callable[[str], tuple[str, int] | None], Callable[[int, int], str]]:
    """``(recognise, make)`` for a postal operator's S10 numbers ``XX`` + 8 digits + check +
    ``country``: the selector is the 8th serial digit; generated numbers are ``LA`` + 7-digit
    serial + selector + check + ``country`` (13)."""
    shape = re.compile(rf"^[A-Z]{{2}}\d{{9}}{country}$")

    def recognise(number: str) -> tuple[str, int] | None:
        if shape.match(number) and s10_check(number[2:10]) == int(number[10]):
            return courier_code, int(number[9])
        return None

    def make(serial: int, selector: int) -> str:
        digits = f"{serial:07d}{selector}"
        return f"LA{digits}{s10_check(digits)}{country}"

    return recognise, make


def api_key_app(create: Callable[..., web.Application]) -> AppFactory:
    """The factory of an API-key carrier's fake: ``create(source, *, api_key)`` (DHL, La
    Poste); tokens do not expire, there are none."""

    def build(
        source: JourneySource, credentials: Mapping[str, str], _lifetime: float
    ) -> web.Application:
        return create(source, api_key=credentials["api_key"])

    return build


def selector_digit(char: str) -> int:
    """A selector digit: the digit itself, or UPS's check-digit value of a letter."""
    return int(char) if char.isdigit() else (ord(char) - 3) % 10


@dataclass(frozen=True, slots=True)
class FakeSpec:
    """One fake carrier: its number format, its status vocabulary and its server."""

    #: The carrier's name: its entry point, its ``SHIPTRACK_<NAME>_…`` variables.
    name: str
    #: Port order: the fake listens on ``base_port + position`` where positions follow
    #: ``(order, name)`` (USPS 0, UPS 1, FedEx 2, DHL 3, La Poste 4; new carriers after).
    order: int
    #: The Ship24 courier codes of the carrier's connector (a generated number must be
    #: detected as one of these first, and as no other fake carrier's).
    courier_codes: frozenset[str]
    #: number → (courier code of the journey, selector digit), or None when not this format.
    recognise: Callable[[str], tuple[str, int] | None]
    #: (serial, selector) → a valid number.
    make: Callable[[int, int], str]
    #: How many serials ``make`` accepts.
    serials: int
    #: The carrier sends a UTC offset with every scan.
    offsets: bool
    #: The Ship24 status codes the carrier's own vocabulary can say (:func:`says`): a
    #: journey's data events it has no word for are left out at this carrier.
    expressible: frozenset[str]
    #: The fake credentials it accepts: ``client_id``/``client_secret`` or ``api_key``.
    credentials: Mapping[str, str]
    #: Builds the server app.
    create_app: AppFactory
