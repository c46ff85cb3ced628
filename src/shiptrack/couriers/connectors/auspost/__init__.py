"""Australia Post Shipping and Tracking API, "Track items" (contract customers)..

``build`` is the connector factory (``None`` without credentials); ``check_credentials``
makes one authenticated call to tell an operator whether the credentials work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.auspost.client import AusPostConnector
from shiptrack.couriers.connectors.auspost.settings import AusPostSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = AusPostConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "AusPostConnector", "AusPostSettings", "build", "check_credentials"]

NAME = AusPostConnector.name


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    auspost_settings: AusPostSettings | None = None,
) -> AusPostConnector | None:
    """The Australia Post connector, or None without its key, password and account."""
    return AusPostConnector.build(auspost_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    auspost_settings: AusPostSettings | None = None,
) -> CredentialCheck:
    """One tracking call for an unknown number: "not found" means the credentials were accepted."""
    return await AusPostConnector.check_credentials(auspost_settings, session)
