"""Ship24 itself as an upstream source, on the user's own Ship24 API key.

``build`` is the connector factory (``None`` without ``SHIPTRACK_SHIP24_API_KEY``);
``check_credentials`` makes one cheap authenticated call (a one-item tracker list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.ship24.client import Ship24Connector
from shiptrack.couriers.connectors.ship24.settings import Ship24Settings

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "Ship24Connector", "Ship24Settings", "build", "check_credentials"]

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = Ship24Connector.source_info()


def build(settings: Settings | None, session: aiohttp.ClientSession) -> Ship24Connector | None:
    """The Ship24 upstream, or None when ``SHIPTRACK_SHIP24_API_KEY`` is not set."""
    return Ship24Connector.build(settings, session)


async def check_credentials(
    settings: Settings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    return await Ship24Connector.check_credentials(settings, session)
