"""Canada Post tracking web service (VIS track v2, XML).

``build`` is the connector factory (``None`` without credentials); ``check_credentials`` makes
one authenticated call to tell an operator whether the credentials work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.canadapost.client import CanadaPostConnector
from shiptrack.couriers.connectors.canadapost.settings import CanadaPostSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = CanadaPostConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "CanadaPostConnector", "CanadaPostSettings", "build", "check_credentials"]

NAME = CanadaPostConnector.name
PROBE_NUMBER = CanadaPostConnector.probe_number


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    canadapost_settings: CanadaPostSettings | None = None,
) -> CanadaPostConnector | None:
    """The Canada Post connector, or None without ``SHIPTRACK_CANADAPOST_CLIENT_ID``/``_SECRET``.

    ``settings`` (shiptrack's global settings) is not used: the connector reads its own
    ``SHIPTRACK_CANADAPOST_*`` settings, or ``canadapost_settings`` when given (tests).
    """
    return CanadaPostConnector.build(canadapost_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    canadapost_settings: CanadaPostSettings | None = None,
) -> CredentialCheck:
    """One call for an unknown number: ``004`` "No Pin History" means the key was accepted."""
    return await CanadaPostConnector.check_credentials(canadapost_settings, session)
