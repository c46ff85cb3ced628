"""DHL Shipment Tracking - Unified: DHL Express, DHL Paket/Parcel, DHL eCommerce, Deutsche Post.

``build`` is the connector factory (``None`` without an API key); ``check_credentials`` makes
one authenticated call to tell an operator whether the key works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.dhl.client import DhlConnector
from shiptrack.couriers.connectors.dhl.settings import DhlSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = DhlConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "DhlConnector", "DhlSettings", "build", "check_credentials"]

NAME = DhlConnector.name
PROBE_NUMBER = DhlConnector.probe_number


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    dhl_settings: DhlSettings | None = None,
) -> DhlConnector | None:
    """The DHL connector, or None when ``SHIPTRACK_DHL_API_KEY`` is not set.

    ``settings`` (shiptrack's global settings) is not used: the connector reads its own
    ``SHIPTRACK_DHL_*`` settings, or ``dhl_settings`` when given (tests).
    """
    return DhlConnector.build(dhl_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    dhl_settings: DhlSettings | None = None,
) -> CredentialCheck:
    """One tracking call for an unknown number (it counts against DHL's daily quota).

    DHL answers 404 "No result found" once the key is accepted, 401/403 when it is not.
    """
    return await DhlConnector.check_credentials(dhl_settings, session)
