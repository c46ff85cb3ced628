"""La Poste Suivi v2: La Poste (Courrier), Colissimo and Chronopost.

``build`` is the connector factory (``None`` without an Okapi key); ``check_credentials`` makes
one authenticated call to tell an operator whether the key works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.laposte.client import LaPosteConnector
from shiptrack.couriers.connectors.laposte.settings import LaPosteSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = LaPosteConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "LaPosteConnector", "LaPosteSettings", "build", "check_credentials"]

NAME = LaPosteConnector.name
PROBE_NUMBER = LaPosteConnector.probe_number


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    laposte_settings: LaPosteSettings | None = None,
) -> LaPosteConnector | None:
    """The La Poste connector, or None when ``SHIPTRACK_LAPOSTE_API_KEY`` is not set.

    ``settings`` (shiptrack's global settings) is not used: the connector reads its own
    ``SHIPTRACK_LAPOSTE_*`` settings, or ``laposte_settings`` when given (tests).
    """
    return LaPosteConnector.build(laposte_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    laposte_settings: LaPosteSettings | None = None,
) -> CredentialCheck:
    """One call for an unknown number: a ``returnCode`` answer means the key was accepted."""
    return await LaPosteConnector.check_credentials(laposte_settings, session)
