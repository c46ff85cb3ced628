"""Every real connector end to end: API → engine → connector → HTTP → fake carrier server.

The five fake carriers (``shiptrack.couriers.fakes``) run on 127.0.0.1 and play sandbox
journeys for carrier-format numbers; the connectors find them through the same
``SHIPTRACK_<CARRIER>_*`` variables an operator sets (``FakeCouriers.env()``), set before the
app's lifespan builds them. Trackers are created WITHOUT a courier code: detection picks the
carrier. The fakes' journey clock is a test clock, so live journeys advance only when a test
says so, and refreshes are driven by making a tracker due and waking the engine. Runs on
SQLite and PostgreSQL (the ``client`` fixture).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select

from shiptrack.app import create_app, services_of
from shiptrack.config import Settings
from shiptrack.couriers.connectors.auspost.parse import read_description
from shiptrack.couriers.connectors.purolator.statuses import SCAN_TYPES
from shiptrack.couriers.connectors.usps import fake as usps_fake
from shiptrack.couriers.connectors.usps.statuses import STATUS_CODES
from shiptrack.couriers.detection import detect
from shiptrack.couriers.event_status import classify_event
from shiptrack.couriers.fakes import (
    CARRIERS,
    SELECTORS,
    CarrierJourneys,
    FakeCouriers,
    carrier_of,
    start_fake_couriers,
)
from shiptrack.couriers.sandbox.playback import play
from shiptrack.db.tables import tracker_schedule, trackers

#: Source and courier code of each carrier's events.
SOURCES = {
    "usps": ("usps-tracking", "us-post"),
    "ups": ("ups-tracking", "ups"),
    "fedex": ("fedex-tracking", "fedex"),
    "dhl": ("dhl-tracking", "dhl-express"),
    "laposte": ("laposte-tracking", "fr-post"),
    "inpost": ("inpost-tracking", "inpost-pl"),
    "bring": ("bring-tracking", "no-post"),
    "postnord": ("postnord-tracking", "se-post"),
    "auspost": ("auspost-tracking", "au-post"),
    "canadapost": ("canadapost-tracking", "ca-post"),
    "postnl": ("postnl-tracking", "nl-post"),
    "royalmail": ("royalmail-tracking", "gb-post"),
    "purolator": ("purolator-tracking", "purolator"),
}
OAUTH = ("usps", "ups", "fedex")
#: What the Ship24 codes of the journeys become through each carrier's own vocabulary:
#: UPS and FedEx have no scan for "left the origin country" or "arrived in the destination
#: country" (a plain in-transit scan comes back); La Poste none for the departure (ET2); DHL
#: sends those events with text only, and its phrase rules read "Export clearance completed,
#: departed origin country" as a customs clearance. USPS's UPU codes keep everything. InPost
#: has no status for customs or borders; Bring and PostNord send those steps with coarse
#: statuses whose text the status normaliser reads, as it reads all of Australia Post's (it
#: reads that departure as the departure: export clearance ranks below it).
LOSSY: dict[str, dict[str, str | None]] = {
    "usps": {},
    "ups": {"transit_origin_country_departure": None, "destination_arrival": None},
    "fedex": {"transit_origin_country_departure": None, "destination_arrival": None},
    "dhl": {"transit_origin_country_departure": "customs_cleared"},
    "laposte": {"transit_origin_country_departure": None},
    "inpost": {
        "transit_origin_country_departure": None,
        "destination_arrival": None,
        "customs_received": None,
        "customs_cleared": None,
    },
    "bring": {},
    "postnord": {},
    "auspost": {},
    # Canada Post's known codes say nothing of customs; PostNL has no departure event; Royal
    # Mail no arrival abroad and no customs delay (its "in customs" comes back).
    "canadapost": {"customs_received": None, "customs_cleared": None, "customs_exception": None},
    "postnl": {"transit_origin_country_departure": None},
    "royalmail": {"destination_arrival": None, "customs_exception": "customs_received"},
    "purolator": {},
}
#: Carriers whose events carry only text: the connector's phrases or the status normaliser
#: name every event (``read_description``).
TEXT_ONLY = {"auspost"}
#: Carriers that send most scans as text only: the status normaliser's reading is expected.
TEXT_READ = {"purolator": frozenset(SCAN_TYPES.values())}
#: Carriers whose answers carry a UTC offset with each scan (the fakes send the place's).
WITH_OFFSET = {"usps", "ups", "fedex", "laposte", "inpost", "bring", "auspost", "royalmail"}
#: Canada Post sends a zone only for North American scans: local times elsewhere.
NORTH_AMERICAN_OFFSETS = {"canadapost"}
#: La Poste publishes no signatory in its open scope; InPost and Australia Post none at all.
SIGNED = {
    "usps",
    "ups",
    "fedex",
    "dhl",
    "bring",
    "postnord",
    "canadapost",
    "royalmail",
    "purolator",
}
#: Carriers that give a delivery estimate; those that give a day, not a time; those that give
#: a window too.
ESTIMATED = {
    "usps",
    "ups",
    "fedex",
    "dhl",
    "laposte",
    "bring",
    "postnord",
    "canadapost",
    "postnl",
    "royalmail",
    "purolator",
}
ESTIMATED_DAY = {"canadapost", "postnl", "royalmail", "purolator"}
WINDOWED = {"usps", "ups", "fedex", "dhl", "laposte", "postnl", "royalmail"}
#: Carriers whose answers name origin and destination countries (InPost is domestic;
#: Australia Post's, Canada Post's and Purolator's tracking answers have no countries).
WITH_COUNTRIES = {
    "usps",
    "ups",
    "fedex",
    "dhl",
    "laposte",
    "bring",
    "postnord",
    "postnl",
    "royalmail",
}
CONNECTOR_TIMEOUT = 2.0
OFFSET = re.compile(r"T\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


class TestClock:
    """The fakes' journey clock: moves only when a test moves it."""

    __test__ = False

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
def fake_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Extra ``start_fake_couriers`` arguments (parametrize indirectly to change them)."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
async def fakes(clock: TestClock, fake_options: dict[str, Any]) -> AsyncIterator[FakeCouriers]:
    options = {"hang_seconds": 3 * CONNECTOR_TIMEOUT, **fake_options}
    running = await start_fake_couriers(base_port=0, clock=clock, **options)
    try:
        yield running
    finally:
        await running.aclose()


@pytest.fixture
def env_overrides(request: pytest.FixtureRequest) -> dict[str, str]:
    """Connector variables to change (parametrize indirectly)."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
def carrier_env(
    fakes: FakeCouriers, monkeypatch: pytest.MonkeyPatch, env_overrides: dict[str, str]
) -> dict[str, str]:
    """The connectors' variables, pointing at the fakes, without the real carriers' quotas."""
    env = fakes.env()
    for carrier in CARRIERS:
        prefix = f"SHIPTRACK_{carrier.upper()}_"
        env[f"{prefix}RATE_LIMIT"] = "1000"
        env[f"{prefix}MIN_INTERVAL"] = "0"
        env[f"{prefix}TIMEOUT"] = f"{CONNECTOR_TIMEOUT:g}"
    env.update(env_overrides)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"engine_idle_poll_seconds": 0.05}


@pytest.fixture
async def app(
    database_url: str, settings_overrides: dict[str, object], carrier_env: dict[str, str]
) -> AsyncIterator[Any]:
    """The app of tests/conftest.py, built once the connectors' variables are set."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        rate_limits_enabled=False,
        **settings_overrides,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


# --- helpers ---------------------------------------------------------------------------------


async def _wait_for(predicate: Callable[[], Awaitable[Any]], seconds: float = 10.0) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        result = await predicate()
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"condition not met within {seconds} s")


async def _track(client: Any, number: str) -> dict[str, Any]:
    response = await client.post("/trackers/track", json={"trackingNumber": number})
    assert response.status_code == 201, response.text
    (tracking,) = response.json()["data"]["trackings"]
    return tracking


async def _create(client: Any, number: str) -> str:
    response = await client.post("/trackers", json={"trackingNumber": number})
    assert response.status_code == 201, response.text
    return response.json()["data"]["tracker"]["trackerId"]


async def _create_together(client: Any, numbers: list[str]) -> list[str]:
    """Trackers created in one bulk request: the engine claims them in one batch."""
    response = await client.post("/trackers/bulk", json=[{"trackingNumber": n} for n in numbers])
    assert response.status_code == 201, response.text
    return [item["tracker"]["trackerId"] for item in response.json()["data"]]


async def _results(client: Any, tracker_id: str) -> dict[str, Any]:
    body = (await client.get(f"/trackers/{tracker_id}/results")).json()
    return body["data"]["trackings"][0]


async def _row(app: Any, tracker_id: str) -> Any:
    async with services_of(app).db.read() as conn:
        return (
            await conn.execute(
                select(trackers, tracker_schedule)
                .join(tracker_schedule, tracker_schedule.c.tracker_id == trackers.c.id)
                .where(trackers.c.id == tracker_id)
            )
        ).one()


async def _refresh(app: Any, tracker_id: str) -> Any:
    """Make the tracker due now, wake the engine, wait for that check; the tracker's row."""
    before = (await _row(app, tracker_id)).check_count
    async with services_of(app).db.write() as conn:
        await conn.execute(
            tracker_schedule.update()
            .where(tracker_schedule.c.tracker_id == tracker_id)
            .values(next_check_at=dt.datetime.now(dt.UTC))
        )
    services_of(app).engine.wake()

    async def checked() -> Any:
        row = await _row(app, tracker_id)
        return row if row.check_count > before else None

    return await _wait_for(checked)


def _codes(events: list[dict[str, Any]]) -> list[str | None]:
    """Ship24 status codes, oldest first (the API lists events newest first)."""
    return [e["statusCode"] for e in reversed(events)]


def _expected(fakes: FakeCouriers, carrier: str, number: str, clock: TestClock) -> Any:
    """What the sandbox says about the number's journey right now (as the fake plays it)."""
    journey = fakes.journeys.journey_for(carrier, number)
    assert journey is not None
    return play(journey, clock.now, clock.now)


def _through(carrier: str, events: list[Any]) -> list[str | None]:
    """The Ship24 codes of ``events`` (oldest first) as they come back through ``carrier``."""
    lossy, typed = LOSSY[carrier], TEXT_READ.get(carrier)
    codes = []
    for event in events:
        code = event.status_code
        if typed is not None and code not in typed:
            code = classify_event(event.status, courier_code=SOURCES[carrier][1]).status_code
        codes.append(lossy.get(code, code) if code in lossy else code)
    return codes


def _other(carrier: str) -> str:
    return CARRIERS[(CARRIERS.index(carrier) + 1) % len(CARRIERS)]


# --- the full journey, per carrier -----------------------------------------------------------


@pytest.mark.parametrize("carrier", CARRIERS)
async def test_detected_number_gets_the_full_journey(client, fakes, clock, carrier):
    number = fakes.number(carrier, "DELIVERED")
    fakes.start(number, clock.now)
    expected = _expected(fakes, carrier, number, clock)
    expected_events = list(reversed(expected.events))  # oldest first

    tracking = await _track(client, number)

    assert tracking["tracker"]["courierCode"] in ([], None)
    shipment, events = tracking["shipment"], tracking["events"]
    assert shipment["statusMilestone"] == "delivered"
    assert shipment["statusCode"] == "delivery_delivered"
    assert len(events) == len(expected_events) == 15
    if carrier in TEXT_ONLY:
        read = [read_description(e.status)[0] for e in expected_events]
        assert _codes(events)[0] == "data_order_created"
        assert _codes(events)[-1] == "delivery_delivered"
        assert _codes(events) == read
    else:
        assert _codes(events) == _through(carrier, expected_events)
    source, courier = SOURCES[carrier]
    assert {e["sourceCode"] for e in events} == {source}
    assert {e["courierCode"] for e in events} == {courier}
    assert {e["eventTrackingNumber"] for e in events} == {number}
    assert [n["tn"] for n in shipment["trackingNumbers"]] == [number]
    assert not any("SHIP24_SAMPLE" in (e["status"] or "") for e in events)
    # Local wall clocks as the journey wrote them; with the place's offset where the carrier
    # sends one, never a local time relabelled as UTC.
    times = [e["occurrenceDatetime"] for e in reversed(events)]
    assert [t[:19] for t in times] == [e.occurrence_datetime for e in expected_events]
    if carrier in WITH_OFFSET:
        assert all(OFFSET.search(t) for t in times), times
        assert times[0].endswith("+08:00")  # Shenzhen
        assert times[-1].endswith("-05:00")  # Brooklyn
    elif carrier in NORTH_AMERICAN_OFFSETS:
        assert len(times[0]) == 19  # Shenzhen: no Canadian zone, a local time
        assert times[-1].endswith("-05:00")  # Brooklyn: EST
        assert any(t.endswith("-08:00") for t in times)  # Los Angeles: PST
    else:
        assert all(len(t) == 19 for t in times), times
    delivery = shipment["delivery"]
    estimate = expected.estimated_delivery if carrier in ESTIMATED else None
    if estimate is not None and carrier in ESTIMATED_DAY:
        estimate = estimate[:10]
    assert delivery["estimatedDeliveryDate"] == estimate
    window = {"from": expected.estimated_delivery_from, "to": expected.estimated_delivery_to}
    assert delivery["courierEstimatedDeliveryDate"] == (window if carrier in WINDOWED else None)
    assert delivery["service"] == expected.service
    assert delivery["signedBy"] == (expected.signed_by if carrier in SIGNED else None)
    countries = ("CN", "US") if carrier in WITH_COUNTRIES else (None, None)
    assert (shipment["originCountryCode"], shipment["destinationCountryCode"]) == countries
    stats = tracking["statistics"]["timestamps"]
    # Text-only carriers too: "Handed over to USPS for final delivery" reads as a hand-over.
    assert stats["deliveredDatetime"] == events[0]["occurrenceDatetime"]
    # Detection routed the number to this carrier alone.
    for name in CARRIERS:
        asked = fakes.state(name).track_requests
        assert asked == (1 if name == carrier else 0), (name, asked)


SAMPLES = [
    "PENDING",
    "INFO_RECEIVED",
    "IN_TRANSIT",
    "OUT_FOR_DELIVERY",
    "FAILED_ATTEMPT",
    "AVAILABLE_FOR_PICKUP",
    "EXCEPTION",
]


@pytest.mark.parametrize("carrier", CARRIERS)
async def test_every_sample_journey_ends_at_its_milestone(client, fakes, carrier):
    for journey in SAMPLES:
        number = fakes.number(carrier, journey)
        tracking = await _track(client, number)
        milestone = tracking["shipment"]["statusMilestone"]
        assert milestone == journey.lower(), (journey, _codes(tracking["events"]))
        if journey == "PENDING":
            assert tracking["events"] == []
            continue
        assert {e["eventTrackingNumber"] for e in tracking["events"]} == {number}
        assert {e["sourceCode"] for e in tracking["events"]} == {SOURCES[carrier][0]}


# --- a live journey: token expiry and faults mid-run -----------------------------------------


LIVE = "SBX-OC-2H-HO-NOW-1D-OF-4H-DL"


@pytest.mark.parametrize("carrier", CARRIERS)
@pytest.mark.parametrize("fault", ["429", "503", "malformed"])
async def test_live_journey_survives_token_expiry_and_faults(
    client, app, fakes, clock, carrier, fault
):
    number = fakes.number(carrier, LIVE)
    tracking = await _track(client, number)
    tracker_id = tracking["tracker"]["trackerId"]
    assert _codes(tracking["events"]) == ["data_order_created", "transit_handover"]

    # A day later: out for delivery. OAuth tokens expired meanwhile: one 401, one new token,
    # the same call again, and the check still succeeds.
    clock.advance(days=1)
    fakes.expire_tokens(carrier)
    tokens_before = fakes.state(carrier).token_requests
    row = await _refresh(app, tracker_id)
    assert row.error_count == 0
    tracking = await _results(client, tracker_id)
    assert _codes(tracking["events"])[-1] == "delivery_out_for_delivery"
    if carrier in OAUTH:
        assert fakes.carriers[carrier].statuses[401] == 1
        assert fakes.state(carrier).token_requests == tokens_before + 1

    # The carrier fails while the delivery happens: nothing is stored, nothing is lost.
    clock.advance(hours=4)
    if fault == "429":
        fakes.fail(carrier, status=429, retry_after="1")
    elif fault == "503":
        fakes.fail(carrier, status=503)
    else:
        fakes.fail(carrier, malformed=True)
    row = await _refresh(app, tracker_id)
    assert row.error_count == 1
    assert row.is_tracked
    assert row.next_check_at > row.last_checked_at
    tracking = await _results(client, tracker_id)
    assert len(tracking["events"]) == 3
    assert tracking["shipment"]["statusMilestone"] == "out_for_delivery"

    # The fault clears: the next check brings the delivery, once.
    fakes.clear(carrier)
    if fault == "429":
        await asyncio.sleep(1.05)  # the courier asked for a second's pause
    row = await _refresh(app, tracker_id)
    assert row.error_count == 0
    tracking = await _results(client, tracker_id)
    assert _codes(tracking["events"]) == [
        "data_order_created",
        "transit_handover",
        "delivery_out_for_delivery",
        "delivery_delivered",
    ]
    assert tracking["shipment"]["statusMilestone"] == "delivered"
    assert [e["sequence"] for e in reversed(tracking["events"])] == [1, 2, 3, 4]


@pytest.mark.parametrize("fake_options", [{"token_lifetime": 0.2}], indirect=True)
@pytest.mark.parametrize("carrier", OAUTH)
async def test_short_lived_tokens_expire_between_checks(client, app, fakes, clock, carrier):
    """Tokens die on the server before the client expects (it is told a minute; they live
    0.2 s): the next check meets a genuine 401-after-expiry, gets a
    new token, repeats the call and goes on without an error."""
    tracking = await _track(client, fakes.number(carrier, LIVE))
    tracker_id = tracking["tracker"]["trackerId"]
    assert fakes.state(carrier).token_requests == 1
    clock.advance(days=1)
    await asyncio.sleep(0.4)
    row = await _refresh(app, tracker_id)
    assert row.error_count == 0
    assert fakes.carriers[carrier].statuses[401] == 1
    assert fakes.state(carrier).token_requests == 2
    tracking = await _results(client, tracker_id)
    assert _codes(tracking["events"])[-1] == "delivery_out_for_delivery"


# --- one carrier's outage does not hold up another's trackers --------------------------------


@pytest.mark.parametrize("carrier", CARRIERS)
@pytest.mark.parametrize("fault", ["429", "500", "malformed"])
async def test_outage_of_one_carrier_never_delays_another(client, app, fakes, carrier, fault):
    healthy = _other(carrier)
    if fault == "429":
        fakes.fail(carrier, status=429, retry_after="30")
    elif fault == "500":
        fakes.fail(carrier, status=500)
    else:
        fakes.fail(carrier, malformed=True)
    failing_id, healthy_id = await _create_together(
        client, [fakes.number(carrier, "DELIVERED"), fakes.number(healthy, "DELIVERED")]
    )
    started = time.monotonic()

    async def delivered(tracker_id: str) -> dict[str, Any] | None:
        tracking = await _results(client, tracker_id)
        return tracking if tracking["shipment"]["statusMilestone"] == "delivered" else None

    # Well under the failing carrier's 30 s Retry-After and 59 s first backoff (the healthy
    # carrier takes well under a second on an idle machine; the margin is for a loaded one).
    tracking = await _wait_for(lambda: delivered(healthy_id), 10)
    assert time.monotonic() - started < 10.0
    assert len(tracking["events"]) == 15

    async def failed() -> Any:
        row = await _row(app, failing_id)
        return row if row.check_count else None

    row = await _wait_for(failed, 5)
    assert row.error_count == 1
    assert row.is_tracked
    waited = (row.next_check_at - row.last_checked_at).total_seconds()
    assert waited >= (30 if fault == "429" else 59)  # Retry-After, else the first backoff
    assert (await _results(client, failing_id))["events"] == []

    # After the outage (and once a 429's pause is over), the whole journey arrives.
    fakes.clear(carrier)
    if fault == "429":
        gates = services_of(app).engine.refresher.fetcher._gates
        for gate in gates.values():
            gate.blocked_until = 0.0  # do not sit out the 30 s in a test
    row = await _refresh(app, failing_id)
    assert row.error_count == 0
    tracking = await _results(client, failing_id)
    assert tracking["shipment"]["statusMilestone"] == "delivered"
    assert len(tracking["events"]) == 15


async def test_a_hanging_carrier_times_out_without_holding_up_the_others(client, app, fakes):
    """UPS stops answering: its tracker fails after the connector's timeout, while trackers
    of the other carriers, checked by the same engine at the same time, are served at once."""
    fakes.hang("ups")
    names = ["ups", *(name for name in CARRIERS if name != "ups")]
    hanging_id, *other_ids = await _create_together(
        client, [fakes.number(name, "DELIVERED") for name in names]
    )
    others = dict(zip(names[1:], other_ids, strict=True))
    started = time.monotonic()

    async def all_delivered() -> bool:
        for tracker_id in others.values():
            tracking = await _results(client, tracker_id)
            if tracking["shipment"]["statusMilestone"] != "delivered":
                return False
        return True

    await _wait_for(all_delivered, 3 * CONNECTOR_TIMEOUT)
    elapsed = time.monotonic() - started
    assert elapsed < CONNECTOR_TIMEOUT, f"healthy carriers waited {elapsed:.1f} s for UPS"

    async def failed() -> Any:
        row = await _row(app, hanging_id)
        return row if row.check_count else None

    row = await _wait_for(failed, 3 * CONNECTOR_TIMEOUT)
    assert row.error_count == 1
    fakes.clear("ups")
    row = await _refresh(app, hanging_id)
    tracking = await _results(client, hanging_id)
    assert tracking["shipment"]["statusMilestone"] == "delivered"


@pytest.mark.parametrize("env_overrides", [{"SHIPTRACK_USPS_RATE_LIMIT": "0.5"}], indirect=True)
async def test_a_carriers_rate_limit_does_not_slow_the_others(client, app, fakes):
    """USPS allows one call every 2 s here (60 an hour for real): its second tracker waits
    for its slot, the FedEx tracker created with them does not."""
    *_, fedex_id = await _create_together(
        client,
        [
            *(fakes.number("usps", "DELIVERED") for _ in range(3)),
            fakes.number("fedex", "DELIVERED"),
        ],
    )
    started = time.monotonic()

    async def delivered() -> bool:
        tracking = await _results(client, fedex_id)
        return tracking["shipment"]["statusMilestone"] == "delivered"

    await _wait_for(delivered, 10)
    elapsed = time.monotonic() - started
    assert elapsed < 1.5, f"the FedEx tracker waited {elapsed:.1f} s for USPS's rate limit"


async def test_scripted_faults_play_in_each_carriers_format(client, app, fakes):
    """A journey scripted to be "not found" once, then a 503, then garbage: the carrier's
    fake answers each in FedEx's format, and the tracker ends with the whole journey."""
    number = fakes.number("fedex", "SBX-OC-HO-OF-DL-NOW_NF_SE_BAD")
    tracking = await _track(client, number)
    tracker_id = tracking["tracker"]["trackerId"]
    assert tracking["events"] == []  # not found yet
    for expected_errors in (1, 2):
        row = await _refresh(app, tracker_id)
        assert row.error_count == expected_errors
        assert (await _results(client, tracker_id))["events"] == []
    row = await _refresh(app, tracker_id)
    assert row.error_count == 0
    tracking = await _results(client, tracker_id)
    assert tracking["shipment"]["statusMilestone"] == "delivered"
    assert len(tracking["events"]) == 4
    assert fakes.carriers["fedex"].statuses[503] == 1
    assert fakes.journeys.checks(number) == 4


async def test_a_scripted_timeout_really_hangs_the_fake(client, app, fakes):
    """``_TO`` in a journey: the DHL fake does not answer before the connector gives up."""
    number = fakes.number("dhl", "SBX-OC-HO-OF-DL-NOW_TO")
    started = time.monotonic()
    tracking = await _track(client, number)
    assert time.monotonic() - started >= CONNECTOR_TIMEOUT
    assert tracking["events"] == []
    tracker_id = tracking["tracker"]["trackerId"]
    assert (await _row(app, tracker_id)).error_count == 1
    row = await _refresh(app, tracker_id)
    assert row.error_count == 0
    tracking = await _results(client, tracker_id)
    assert tracking["shipment"]["statusMilestone"] == "delivered"


# --- what the operator sees ------------------------------------------------------------------


async def test_credential_checks_against_the_fakes(fakes, carrier_env):
    import aiohttp

    from shiptrack.cli.couriers import credential_checks

    async with aiohttp.ClientSession() as session:
        checks = await credential_checks(session)
    by_name = {check.connector: check for check in checks}
    assert set(CARRIERS) <= set(by_name)
    for carrier in CARRIERS:
        assert by_name[carrier].configured, by_name[carrier]
        assert by_name[carrier].ok, by_name[carrier]
        for value in fakes.credentials[carrier].values():
            assert value not in by_name[carrier].detail


# --- the number → journey mapping (no database) ---------------------------------------------


@pytest.mark.parametrize(
    ("number", "carrier", "journey"),
    [
        ("1ZSHPTRK0300000166", "ups", "SHIP24_SAMPLE_DELIVERED"),
        ("1Z999AA10123456784", "ups", "SBX_REDELIVERY"),  # UPS's documented sample
        ("9400100000000000000167", "usps", "SHIP24_SAMPLE_DELIVERED"),
        ("9400 1000 0000 0000 0001 67", "usps", "SHIP24_SAMPLE_DELIVERED"),
        ("700000000168", "fedex", "SHIP24_SAMPLE_DELIVERED"),
        ("1000000175", "dhl", "SHIP24_SAMPLE_EXCEPTION"),
        ("LA000000164FR", "laposte", "SHIP24_SAMPLE_DELIVERED"),
        ("6A12345678909", "laposte", "SBX_FLAKY"),  # Colissimo: the last digit selects
        ("1000000190", "dhl", "SBX_FLAKY"),
        ("1000000186", "dhl", "SBX_REDELIVERY"),
        ("7000000000000160", "canadapost", "SHIP24_SAMPLE_DELIVERED"),
        ("0073938000549297", "canadapost", "SBX_FLAKY"),  # tracking_number_data's example
        ("3SSHPT000000016", "postnl", "SHIP24_SAMPLE_DELIVERED"),
        ("3SDEVC288882229", "postnl", "SBX_FLAKY"),  # PostNL's documented example
        ("RR000000164GB", "royalmail", "SHIP24_SAMPLE_DELIVERED"),
        (
            "FQ087430672GB",
            "royalmail",
            "SHIP24_SAMPLE_EXCEPTION",
        ),  # Royal Mail's documented example
        ("300000000160", "purolator", "SHIP24_SAMPLE_DELIVERED"),
        (
            "320595463938",
            "purolator",
            "SHIP24_SAMPLE_OUT_FOR_DELIVERY",
        ),  # tracking_number_data's example
    ],
)
def test_numbers_map_to_journeys_by_selector_digit(number, carrier, journey):
    journeys = CarrierJourneys()
    assert carrier_of(number) == carrier
    played = journeys.journey_for(carrier, number)
    assert played is not None
    assert played.startswith(journey + "_")
    assert played == journeys.journey_for(carrier, number)  # deterministic
    assert all(
        journeys.journey_for(other, number) is None for other in CARRIERS if other != carrier
    )


@pytest.mark.parametrize(
    "number",
    [
        "1ZSHPTRK0300000167",
        "9400100000000000000168",
        "700000000169",
        "1000000176",
        "LA000000165FR",
        "LA000000164DE",
        "7000000000000161",
        "RR000000165GB",
        "300000000161",
        "3SSHPT00000001",
        "SHIP24_SAMPLE_DELIVERED_000",
        "hello",
    ],
)
def test_numbers_with_a_wrong_check_digit_are_unknown(number):
    assert carrier_of(number) is None
    journeys = CarrierJourneys()
    assert all(journeys.source(carrier)(number) is None for carrier in CARRIERS)


async def test_generated_numbers_route_to_their_carrier_only():
    fakes = await start_fake_couriers(base_port=0, carriers=())
    for carrier in CARRIERS:
        codes = {
            "usps": {"us-post"},
            "ups": {"ups"},
            "fedex": {"fedex"},
            "dhl": {"dhl-express"},
            "laposte": {"fr-post"},
            "inpost": {"inpost-pl"},
            "bring": {"no-post"},
            "postnord": {"se-post"},
            "auspost": {"au-post"},
            "canadapost": {"ca-post"},
            "postnl": {"nl-post"},
            "royalmail": {"gb-post"},
            "purolator": {"purolator"},
        }[carrier]
        seen = set()
        for selector in SELECTORS:
            number = fakes.number(carrier, selector)
            assert number not in seen
            seen.add(number)
            assert carrier_of(number) == carrier
            top = [c for c in detect(number) if c.confidence >= 0.3][:3]
            assert top[0].courier_code in codes, (number, top)
            assert fakes.journeys.journey_for(carrier, number).startswith(SELECTORS[selector])


def test_assigned_journeys_and_their_validation():
    journeys = CarrierJourneys()
    number = journeys.assign("1zshptrk0300000166", "SBX-OC-HO-DL")
    assert number == "1ZSHPTRK0300000166"
    assert journeys.journey_for("ups", number) == "SBX-OC-HO-DL"
    with pytest.raises(ValueError, match="not a number of any fake carrier"):
        journeys.assign("1ZSHPTRK0300000167", "SBX-OC-HO-DL")
    with pytest.raises(ValueError, match="unknown step"):
        journeys.assign(number, "SBX-OC-ZZ")
    with pytest.raises(ValueError, match="not a sandbox number"):
        journeys.assign(number, "1ZSHPTRK0300000166")
    with pytest.raises(ValueError, match="leg"):
        journeys.assign(number, "SHIP24_SAMPLE_DELIVERED_000.2")


def test_hand_over_legs_are_folded_into_the_carrier_number():
    now = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    journeys = CarrierJourneys(clock=lambda: now)
    number = "1ZSHPTRK0300000166"  # DELIVERED: handed over to USPS on the way
    result = journeys.source("ups")(number)
    assert result is not None
    assert not isinstance(result, Exception)
    assert result.tracking_number == number
    assert result.linked_numbers == []
    assert {e.tracking_number for e in result.events} == {number}
    assert {e.courier_code for e in result.events} == {"ups"}
    handover = next(e for e in result.events if "Handed over to USPS" in (e.status or ""))
    reference = handover.status.rsplit(" ", 1)[1]
    assert carrier_of(reference) == "usps"  # a USPS-format number, not the sandbox's
    assert journeys.checks(number) == 1


async def test_env_names_every_connector_variable():
    fakes = await start_fake_couriers(base_port=0)
    try:
        env = fakes.env()
        assert set(env) == {
            *(
                f"SHIPTRACK_{c}_{k}"
                for c in ("USPS", "UPS", "FEDEX")
                for k in ("BASE_URL", "CLIENT_ID", "CLIENT_SECRET")
            ),
            *(
                f"SHIPTRACK_{c}_{k}"
                for c in ("DHL", "LAPOSTE", "POSTNL", "INPOST", "BRING", "POSTNORD", "AUSPOST")
                for k in ("BASE_URL", "API_KEY")
            ),
            "SHIPTRACK_BRING_API_UID",
            "SHIPTRACK_AUSPOST_PASSWORD",
            "SHIPTRACK_AUSPOST_ACCOUNT_NUMBER",
            *(
                f"SHIPTRACK_{c}_{k}"
                for c in ("CANADAPOST", "ROYALMAIL", "PUROLATOR")
                for k in ("BASE_URL", "CLIENT_ID", "CLIENT_SECRET")
            ),
        }
        assert all(url.startswith("http://127.0.0.1:") for url in fakes.urls.values())
        assert len(set(fakes.urls.values())) == len(CARRIERS)
        relaxed = fakes.env(relaxed_limits=True)
        assert relaxed["SHIPTRACK_USPS_RATE_LIMIT"] == "50"
    finally:
        await fakes.aclose()


# --- the status normaliser behind the tables ----------------------------------------------

NEW_CODE = "Q7"


async def test_unknown_code_with_a_known_text(client, fakes, clock, monkeypatch):
    """A code the table does not know, with a known text: the status normaliser decides,
    and the diagnostics view shows the raw code and text next to the rule id."""
    original = usps_fake.render_details

    def with_a_new_delivery_code(number: str, result: Any) -> dict[str, Any]:
        body = original(number, result)
        for event in body["trackingEvents"]:
            if STATUS_CODES.get(event["eventCode"]) == "delivery_delivered":
                event["eventCode"] = NEW_CODE
        return body

    monkeypatch.setattr(usps_fake, "render_details", with_a_new_delivery_code)
    number = fakes.number("usps", "DELIVERED")
    fakes.start(number, clock.now)

    tracking = await _track(client, number)

    assert tracking["shipment"]["statusMilestone"] == "delivered"
    assert tracking["shipment"]["statusCode"] == "delivery_delivered"
    tracker_id = tracking["tracker"]["trackerId"]
    response = await client.get(f"/trackers/{tracker_id}/diagnostics")
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["tracker"]["trackerId"] == tracker_id
    events = data["events"]
    assert [e["sequence"] for e in events] == sorted(e["sequence"] for e in events)
    (delivered,) = [e for e in events if e["carrierStatusCode"] == NEW_CODE]
    assert delivered["statusCode"] == "delivery_delivered"
    assert delivered["ruleId"].startswith("en.delivered")
    assert delivered["status"]  # the carrier's own words, kept
    others = [e for e in events if e["carrierStatusCode"] != NEW_CODE]
    assert others
    assert all(e["ruleId"] == f"table:us-post:{e['carrierStatusCode']}" for e in others)

    missing = await client.get("/trackers/00000000-0000-0000-0000-000000000000/diagnostics")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "tracker_not_found"
