"""DHL Shipment Tracking - Unified: DHL Express, DHL Paket/Parcel, DHL eCommerce, Deutsche Post.

``build`` is the connector factory (``None`` without an API key); ``check_credentials`` makes
one authenticated call to tell an operator whether the key works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.dhl.client import DhlConnector
from shiptrack.couriers.connectors.dhl.settings import DhlSettings
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierRateLimited,
    TrackingNumberNotFound,
    TrackingResult,
)

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings

__all__ = ["DhlConnector", "DhlSettings", "build", "check_credentials"]

NAME = "dhl"
#: A number DHL will not know: the check only needs the gateway to accept the key.
PROBE_NUMBER = "0000000000"


def build(
    settings: Settings | None, session: aiohttp.ClientSession, *,
    dhl_settings: DhlSettings | None = None,
) -> DhlConnector | None:
    """The DHL connector, or None when ``SHIPTRACK_DHL_API_KEY`` is not set.

    ``settings`` (shiptrack's global settings) is not used: the connector reads its own
    ``SHIPTRACK_DHL_*`` settings, or ``dhl_settings`` when given (tests).
    """
    own = dhl_settings if dhl_settings is not None else DhlSettings()
    return DhlConnector(own, session) if own.configured() else None


async def check_credentials(
    settings: Settings | None, session: aiohttp.ClientSession, *,
    dhl_settings: DhlSettings | None = None,
) -> CredentialCheck:
    """One tracking call for an unknown number (it counts against DHL's daily quota).

    DHL answers 404 "No result found" once the key is accepted, 401/403 when it is not.
    """
    own = dhl_settings if dhl_settings is not None else DhlSettings()
    if not own.configured():
        return CredentialCheck(NAME, False, False, "SHIPTRACK_DHL_API_KEY is not set")
    connector = DhlConnector(own, session)
    where = own.resolved_base_url()
    outcome = await connector.track_one(PROBE_NUMBER)
    if isinstance(outcome, TrackingResult | TrackingNumberNotFound):
        return CredentialCheck(NAME, True, True, f"API key accepted by {where}")
    if isinstance(outcome, CourierAuthError):
        return CredentialCheck(NAME, True, False, f"API key rejected by {where} ({outcome})")
    if isinstance(outcome, CourierRateLimited):
        wait = "" if outcome.retry_after is None else f", retry after {outcome.retry_after:g} s"
        return CredentialCheck(
            NAME, True, False, f"could not check: rate limited by {where}{wait} (daily quota?)"
        )
    return CredentialCheck(NAME, True, False, f"could not check against {where}: {outcome}")
