"""InPost ShipX tracking (Poland: parcel lockers, InPost points and courier).

``build`` is the connector factory (``None`` without a ShipX token); ``check_credentials``
makes one authenticated call to tell an operator whether the token works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.inpost.client import InPostConnector
from shiptrack.couriers.connectors.inpost.settings import InPostSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = InPostConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "InPostConnector", "InPostSettings", "build", "check_credentials"]

NAME = InPostConnector.name


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    inpost_settings: InPostSettings | None = None,
) -> InPostConnector | None:
    """The InPost connector, or None when ``SHIPTRACK_INPOST_API_KEY`` is not set."""
    return InPostConnector.build(inpost_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    inpost_settings: InPostSettings | None = None,
) -> CredentialCheck:
    """One tracking call for an unknown number: "not found" means the token was accepted."""
    return await InPostConnector.check_credentials(inpost_settings, session)
