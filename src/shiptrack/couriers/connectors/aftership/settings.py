"""Settings of the AfterShip upstream (env prefix ``SHIPTRACK_AFTERSHIP_``)."""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import UpstreamSettings, carrier_config

PRODUCTION_BASE_URL = "https://api.aftership.com"


class AfterShipSettings(UpstreamSettings):
    """``api_key``: an AfterShip API key (``as-api-key``); ``webhook_secret``: the webhook
    secret of Settings → Webhooks (pushes are signed with it)."""

    model_config = carrier_config("SHIPTRACK_AFTERSHIP_")
    production_url = PRODUCTION_BASE_URL
    #: Calls a second per organisation, 2025-01 (reference card ``apis/aftership.md`` §3).
    documented_limits = {"create": 20.0, "list": 6.0, "get": 5.0, "delete": 5.0, "couriers": 5.0}

    min_interval: float = Field(
        3600.0,
        description="Shortest time between two polls of one number, in seconds: AfterShip "
        "pushes updates, polling is the fallback.",
    )
