"""PostNL ShippingStatus API v2: PostNL parcels and letters with a barcode.

``build`` is the connector factory (``None`` without an API key); ``check_credentials`` makes
one authenticated call to tell an operator whether the credentials work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.postnl.client import PostNLConnector
from shiptrack.couriers.connectors.postnl.settings import PostNLSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = PostNLConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "PostNLConnector", "PostNLSettings", "build", "check_credentials"]

NAME = PostNLConnector.name
PROBE_NUMBER = PostNLConnector.probe_number


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    postnl_settings: PostNLSettings | None = None,
) -> PostNLConnector | None:
    """The PostNL connector, or None without ``SHIPTRACK_POSTNL_API_KEY``.

    ``settings`` (shiptrack's global settings) is not used: the connector reads its own
    ``SHIPTRACK_POSTNL_*`` settings, or ``postnl_settings`` when given (tests).
    """
    return PostNLConnector.build(postnl_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    postnl_settings: PostNLSettings | None = None,
) -> CredentialCheck:
    """One call for an unknown number: a "no shipment found" warning means the key was accepted."""
    return await PostNLConnector.check_credentials(postnl_settings, session)
