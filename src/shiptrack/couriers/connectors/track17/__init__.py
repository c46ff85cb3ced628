"""17TRACK as an upstream source, on the user's own 17TRACK security key.

``build`` is the connector factory (``None`` without ``SHIPTRACK_17TRACK_API_KEY``);
``check_credentials`` makes one cheap authenticated call (``getquota``, free).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.track17.client import Track17Connector
from shiptrack.couriers.connectors.track17.settings import Track17Settings

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "Track17Connector", "Track17Settings", "build", "check_credentials"]

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = Track17Connector.source_info()


def build(settings: Settings | None, session: aiohttp.ClientSession) -> Track17Connector | None:
    """The 17TRACK upstream, or None when ``SHIPTRACK_17TRACK_API_KEY`` is not set."""
    return Track17Connector.build(settings, session)


async def check_credentials(
    settings: Settings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    return await Track17Connector.check_credentials(settings, session)
