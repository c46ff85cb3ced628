"""Bring / Posten Norge tracking (Tracking API v2).

``build`` is the connector factory (``None`` without a Mybring key and login); ``check_credentials``
makes one authenticated call to tell an operator whether the key works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.bring.client import BringConnector
from shiptrack.couriers.connectors.bring.settings import BringSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = BringConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "BringConnector", "BringSettings", "build", "check_credentials"]

NAME = BringConnector.name


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    bring_settings: BringSettings | None = None,
) -> BringConnector | None:
    """The Bring connector, or None without ``SHIPTRACK_BRING_API_KEY`` and ``_API_UID``."""
    return BringConnector.build(bring_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    bring_settings: BringSettings | None = None,
) -> CredentialCheck:
    """One tracking call for an unknown number: "not found" means the key was accepted."""
    return await BringConnector.check_credentials(bring_settings, session)
