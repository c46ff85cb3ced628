"""AfterShip as an upstream source, on the user's own key (an AfterShip API key).

``build`` is the connector factory (``None`` without ``SHIPTRACK_AFTERSHIP_API_KEY``);
``check_credentials`` makes one cheap authenticated call
(``GET /tracking/2025-01/couriers``, a read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.aftership.client import AfterShipConnector
from shiptrack.couriers.connectors.aftership.settings import AfterShipSettings

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "AfterShipConnector", "AfterShipSettings", "build", "check_credentials"]

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = AfterShipConnector.source_info()


def build(settings: Settings | None, session: aiohttp.ClientSession) -> AfterShipConnector | None:
    """The AfterShip upstream, or None when ``SHIPTRACK_AFTERSHIP_API_KEY`` is not set."""
    return AfterShipConnector.build(settings, session)


async def check_credentials(
    settings: Settings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    return await AfterShipConnector.check_credentials(settings, session)
