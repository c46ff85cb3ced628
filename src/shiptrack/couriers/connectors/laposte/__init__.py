"""La Poste Suivi v2: La Poste (Courrier), Colissimo and Chronopost.

``build`` is the connector factory (``None`` without an Okapi key); ``check_credentials`` makes
one authenticated call to tell an operator whether the key works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.laposte.client import LaPosteConnector
from shiptrack.couriers.connectors.laposte.settings import LaPosteSettings
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierRateLimited,
    TrackingNumberNotFound,
    TrackingResult,
)

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings

__all__ = ["LaPosteConnector", "LaPosteSettings", "build", "check_credentials"]

NAME = "laposte"
#: A well-formed (13 characters) number La Poste will not know.
PROBE_NUMBER = "LP000000000FR"


def build(
    settings: Settings | None, session: aiohttp.ClientSession, *,
    laposte_settings: LaPosteSettings | None = None,
) -> LaPosteConnector | None:
    """The La Poste connector, or None when ``SHIPTRACK_LAPOSTE_API_KEY`` is not set.

    ``settings`` (shiptrack's global settings) is not used: the connector reads its own
    ``SHIPTRACK_LAPOSTE_*`` settings, or ``laposte_settings`` when given (tests).
    """
    own = laposte_settings if laposte_settings is not None else LaPosteSettings()
    return LaPosteConnector(own, session) if own.configured() else None


async def check_credentials(
    settings: Settings | None, session: aiohttp.ClientSession, *,
    laposte_settings: LaPosteSettings | None = None,
) -> CredentialCheck:
    """One call for an unknown number: a ``returnCode`` answer means the key was accepted."""
    own = laposte_settings if laposte_settings is not None else LaPosteSettings()
    if not own.configured():
        return CredentialCheck(NAME, False, False, "SHIPTRACK_LAPOSTE_API_KEY is not set")
    connector = LaPosteConnector(own, session)
    where = own.resolved_base_url()
    outcome = (await connector.track_batch([PROBE_NUMBER]))[PROBE_NUMBER]
    if isinstance(outcome, TrackingResult | TrackingNumberNotFound):
        return CredentialCheck(NAME, True, True, f"Okapi key accepted by {where}")
    if isinstance(outcome, CourierAuthError):
        return CredentialCheck(NAME, True, False, f"Okapi key rejected by {where} ({outcome})")
    if isinstance(outcome, CourierRateLimited):
        wait = "" if outcome.retry_after is None else f", retry after {outcome.retry_after:g} s"
        return CredentialCheck(NAME, True, False, f"could not check: rate limited by {where}{wait}")
    return CredentialCheck(NAME, True, False, f"could not check against {where}: {outcome}")
