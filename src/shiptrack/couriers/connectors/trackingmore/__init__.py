"""TrackingMore as an upstream source, on the user's own key (a TrackingMore API key).

``build`` is the connector factory (``None`` without ``SHIPTRACK_TRACKINGMORE_API_KEY``);
``check_credentials`` makes one cheap authenticated call (``GET /v4/couriers/all``, a read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.trackingmore.client import TrackingMoreConnector
from shiptrack.couriers.connectors.trackingmore.settings import TrackingMoreSettings

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "TrackingMoreConnector", "TrackingMoreSettings", "build", "check_credentials"]

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = TrackingMoreConnector.source_info()


def build(
    settings: Settings | None, session: aiohttp.ClientSession
) -> TrackingMoreConnector | None:
    """The TrackingMore upstream, or None when ``SHIPTRACK_TRACKINGMORE_API_KEY`` is not set."""
    return TrackingMoreConnector.build(settings, session)


async def check_credentials(
    settings: Settings | None, session: aiohttp.ClientSession
) -> CredentialCheck:
    return await TrackingMoreConnector.check_credentials(settings, session)
