"""GET /couriers/{courierCode} and GET /sources: which sources could track a courier here."""

from __future__ import annotations

import pytest

from shiptrack.couriers import catalogue
from shiptrack.couriers.connectors.protocol import ConnectorInfo, SourceInfo
from shiptrack.couriers.coverage import Coverage

#: The upstream aggregators shipped with shiptrack: they could track any courier once their
#: key is set (docs/connectors.md), and are asked after the carriers.
AGGREGATORS = [
    ("aftership", False, "set SHIPTRACK_AFTERSHIP_API_KEY"),
    ("ship24", False, "set SHIPTRACK_SHIP24_API_KEY"),
    ("track17", False, "set SHIPTRACK_17TRACK_API_KEY"),
    ("trackingmore", False, "set SHIPTRACK_TRACKINGMORE_API_KEY"),
]


def _states(courier: dict[str, object]) -> list[tuple[object, ...]]:
    return [(s["source"], s["enabled"], s["enable"]) for s in courier["sources"]]  # type: ignore[attr-defined]


async def test_a_courier_without_its_credentials_is_not_trackable_and_says_why(client):
    response = await client.get("/couriers/us-post")
    assert response.status_code == 200
    courier = response.json()["data"]["courier"]
    assert list(courier) == [*catalogue.SHIP24_KEYS, "trackingUrl", "trackable", "sources"]
    assert courier["courierName"] == "USPS"
    assert courier["trackingUrl"] == (
        "https://m.usps.com/m/TrackConfirmAction_detail?tLabels={trackingNumber}"
    )
    assert courier["trackable"] is False
    assert courier["sources"][:1] == [
        {
            "source": "usps",
            "name": "USPS",
            "kind": "carrier",
            "sourceCode": "usps-tracking",
            "enabled": False,
            "enable": "set SHIPTRACK_USPS_CLIENT_ID and SHIPTRACK_USPS_CLIENT_SECRET",
            "courierCount": 1,
        }
    ]
    assert _states(courier)[1:] == AGGREGATORS


async def test_a_ship24_courier_only_aggregators_cover(client):
    courier = (await client.get("/couriers/139EXPRESS")).json()["data"]["courier"]
    assert courier["courierCode"] == "139express"
    assert (courier["trackable"], courier["trackingUrl"]) == (False, None)
    assert _states(courier) == AGGREGATORS


async def test_the_sandbox_is_trackable(client):
    courier = (await client.get("/couriers/sandbox")).json()["data"]["courier"]
    assert courier["trackable"] is True
    assert [(s["source"], s["enabled"], s["enable"]) for s in courier["sources"]] == [
        ("sandbox", True, None)
    ]


async def test_unknown_courier_is_a_404_in_ship24_s_envelope(client):
    response = await client.get("/couriers/no-such-courier")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "code": "courier_not_found",
                "message": "No courier has the code 'no-such-courier'. "
                "GET /couriers lists the valid codes.",
            }
        ],
        "data": None,
    }


async def test_sources_lists_every_source_in_asking_order(client):
    sources = (await client.get("/sources")).json()["data"]["sources"]
    assert [s["source"] for s in sources] == [
        *(
            "auspost",
            "bring",
            "canadapost",
            "dhl",
            "fedex",
            "inpost",
            "laposte",
            "postnl",
            "postnord",
            "purolator",
            "royalmail",
            "ups",
            "usps",
        ),
        *(name for name, _, _ in AGGREGATORS),
        "sandbox",
    ]
    laposte = sources[6]
    assert laposte["enabled"] is False
    assert laposte["courierCodes"] == ["chronopost", "colissimo", "fr-post"]
    assert laposte["courierCount"] == 3
    assert sources[-1]["enabled"] is True


class TestConfiguredCarrier:
    @pytest.fixture
    def settings_overrides(self, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
        # Carrier connectors read their own SHIPTRACK_<CARRIER>_* variables when built.
        monkeypatch.setenv("SHIPTRACK_USPS_CLIENT_ID", "id-from-test")
        monkeypatch.setenv("SHIPTRACK_USPS_CLIENT_SECRET", "secret-from-test")
        return {"sandbox_enabled": False}

    async def test_configured_carrier_is_enabled_and_sandbox_is_not(self, client):
        courier = (await client.get("/couriers/us-post")).json()["data"]["courier"]
        assert courier["trackable"] is True
        assert _states(courier) == [("usps", True, None), *AGGREGATORS]
        sandbox = (await client.get("/couriers/sandbox")).json()["data"]["courier"]
        assert sandbox["trackable"] is False
        assert sandbox["sources"][0]["enable"] == (
            "set SHIPTRACK_SANDBOX_ENABLED=true (the default)"
        )


def _source(name: str, kind: str, codes: set[str]) -> SourceInfo:
    return SourceInfo(name, name.upper(), kind, f"{name}-tracking", frozenset(codes), "set X")  # type: ignore[arg-type]


def test_coverage_asks_carriers_before_aggregators_and_counts_undeclared_connectors():
    declared = [
        _source("aftership", "aggregator", {"us-post", "139express"}),
        _source("usps", "carrier", {"us-post"}),
        _source("sandbox", "sandbox", {"sandbox"}),
    ]
    running = [
        ConnectorInfo("aftership-tracking", frozenset({"us-post", "139express"})),
        ConnectorInfo("plugin-tracking", frozenset({"139express"})),
    ]
    coverage = Coverage(declared, running)
    assert [(s.info.name, s.enabled) for s in coverage.for_courier("us-post")] == [
        ("usps", False),
        ("aftership", True),
    ]
    assert [(s.info.name, s.info.kind, s.enabled) for s in coverage.for_courier("139express")] == [
        ("plugin-tracking", "carrier", True),
        ("aftership", "aggregator", True),
    ]
    assert coverage.for_courier("007ex") == []
