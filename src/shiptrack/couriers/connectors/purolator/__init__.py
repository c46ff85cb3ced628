"""Purolator E-Ship Web Services TrackingService (SOAP).

``build`` is the connector factory (``None`` without credentials); ``check_credentials`` makes
one authenticated call to tell an operator whether the credentials work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.purolator.client import PurolatorConnector
from shiptrack.couriers.connectors.purolator.settings import PurolatorSettings

#: What this source declares for coverage (``shiptrack.couriers.coverage``).
SOURCE = PurolatorConnector.source_info()

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings
    from shiptrack.couriers.connectors.credentials import CredentialCheck

__all__ = ["SOURCE", "PurolatorConnector", "PurolatorSettings", "build", "check_credentials"]

NAME = PurolatorConnector.name
PROBE_NUMBER = PurolatorConnector.probe_number


def build(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    purolator_settings: PurolatorSettings | None = None,
) -> PurolatorConnector | None:
    """The Purolator connector, or None without ``SHIPTRACK_PUROLATOR_CLIENT_ID``/``_SECRET``.

    ``settings`` (shiptrack's global settings) is not used: the connector reads its own
    ``SHIPTRACK_PUROLATOR_*`` settings, or ``purolator_settings`` when given (tests).
    """
    return PurolatorConnector.build(purolator_settings, session)


async def check_credentials(
    settings: Settings | None,
    session: aiohttp.ClientSession,
    *,
    purolator_settings: PurolatorSettings | None = None,
) -> CredentialCheck:
    """One call for an unknown number: an answer with no scans means the key was accepted."""
    return await PurolatorConnector.check_credentials(purolator_settings, session)
