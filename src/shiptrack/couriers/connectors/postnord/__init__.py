"""PostNord Track & Trace (Sweden, Denmark, Norway, Finland)..

``build`` is the connector factory (``None`` without an API key); ``check_credentials``
makes one authenticated call to tell an operator whether the key works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.postnord.client import PostNordConnector
from shiptrack.couriers.connectors.postnord.settings import PostNordSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = PostNordConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "PostNordConnector", "PostNordSettings", "build", "check_credentials"]

NAME = PostNordConnector.name


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    postnord_settings: PostNordSettings | None = None,
) -> PostNordConnector | None:
    """The PostNord connector, or None when ``SHIPTRACK_POSTNORD_API_KEY`` is not set."""
    return PostNordConnector.build(postnord_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    postnord_settings: PostNordSettings | None = None,
) -> CredentialCheck:
    """One tracking call for an unknown number: "not found" means the key was accepted."""
    return await PostNordConnector.check_credentials(postnord_settings, session)
