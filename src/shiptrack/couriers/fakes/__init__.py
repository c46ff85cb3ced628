"""Every fake carrier server at once, playing sandbox journeys for carrier-format numbers.

``shiptrack fake-couriers`` and the end-to-end tests run every discovered fake carrier (USPS,
UPS, FedEx, DHL, La Poste, InPost, Bring, PostNord, Australia Post, Canada Post, PostNL,
Royal Mail, Purolator:
``couriers/connectors/<carrier>/fake.py``) side by side on 127.0.0.1, one port each, and
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
* ``canadapost``: a 16-digit PIN with its mod 10 check (``7`` + serial + selector + check);
  ``postnl``: a 3S barcode ``3SSHPT`` + 8-digit serial + selector; ``royalmail``: an S10
  ``RR`` … ``GB`` number; ``purolator``: a 12-digit PIN with its Luhn check (``3`` + serial
  + selector + check).

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

**Where things live.** Each carrier's number format, status vocabulary, credentials and
server are declared by the carrier's own package (``FAKE`` in ``<carrier>/fake.py``, see
``couriers/connectors/fakespec.py``) and found by :mod:`.discovery`; this package only plays
journeys (:mod:`.journeys`) and runs the servers (:mod:`.servers`). Adding a carrier needs no
edit here.
"""

from __future__ import annotations

from shiptrack.couriers.fake_ports import DEFAULT_BASE_PORT
from shiptrack.couriers.fakes.discovery import discover
from shiptrack.couriers.fakes.journeys import (
    JOURNEY_NAMES,
    SELECTORS,
    CarrierJourneys,
    carrier_of,
    expressible,
)
from shiptrack.couriers.fakes.servers import FakeCarrier, FakeCouriers, start_fake_couriers

#: The fake carriers, in port order: ``usps`` listens on the base port, ``ups`` on base + 1, …
CARRIERS: tuple[str, ...] = tuple(discover())
#: Carrier → its ``FakeSpec`` (number format: ``recognise``, ``make``…), in port order.
FORMATS = discover()

__all__ = [
    "CARRIERS",
    "DEFAULT_BASE_PORT",
    "FORMATS",
    "JOURNEY_NAMES",
    "SELECTORS",
    "CarrierJourneys",
    "FakeCarrier",
    "FakeCouriers",
    "carrier_of",
    "discover",
    "expressible",
    "start_fake_couriers",
]
