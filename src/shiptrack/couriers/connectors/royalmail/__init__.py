"""Royal Mail Tracking API v2: Royal Mail (and Parcelforce items it reports).

``build`` is the connector factory (``None`` without credentials); ``check_credentials`` makes
one authenticated call to tell an operator whether the credentials work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.royalmail.client import RoyalMailConnector
from shiptrack.couriers.connectors.royalmail.settings import RoyalMailSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = RoyalMailConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "RoyalMailConnector", "RoyalMailSettings", "build", "check_credentials"]

NAME = RoyalMailConnector.name
PROBE_NUMBER = RoyalMailConnector.probe_number


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    royalmail_settings: RoyalMailSettings | None = None,
) -> RoyalMailConnector | None:
    """The Royal Mail connector, or None without ``SHIPTRACK_ROYALMAIL_CLIENT_ID``/``_SECRET``.

    ``settings`` (shiptrack's global settings) is not used: the connector reads its own
    ``SHIPTRACK_ROYALMAIL_*`` settings, or ``royalmail_settings`` when given (tests).
    """
    return RoyalMailConnector.build(royalmail_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    royalmail_settings: RoyalMailSettings | None = None,
) -> CredentialCheck:
    """One call for an unknown number: a 404 ``E1142`` means the credentials were accepted."""
    return await RoyalMailConnector.check_credentials(royalmail_settings, session)
