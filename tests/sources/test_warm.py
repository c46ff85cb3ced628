"""Where the engine runs, an upstream whose answers the status normaliser reads (Ship24's
scans with ``statusCode`` null) has it loaded at start, not on its first answer."""

from __future__ import annotations

import aiohttp

from shiptrack.couriers.connectors.aftership import AfterShipConnector, AfterShipSettings
from shiptrack.couriers.connectors.ship24 import Ship24Connector, Ship24Settings
from shiptrack.status.classifier import classifier


async def test_ship24_loads_the_normaliser_at_start_and_aftership_does_not() -> None:
    classifier.cache_clear()
    async with aiohttp.ClientSession() as session:
        aftership = AfterShipConnector(AfterShipSettings(_env_file=None, api_key="k"), session)
        aftership.warm()
        assert classifier.cache_info().currsize == 0, "AfterShip's tags decide its statuses"
        ship24 = Ship24Connector(Ship24Settings(_env_file=None, api_key="k"), session)
        ship24.warm()
        assert classifier.cache_info().currsize == 1
