"""Settings of the Ship24 upstream (env prefix ``SHIPTRACK_SHIP24_``)."""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import UpstreamSettings, carrier_config

#: Ship24's API origin (paths start with ``/public/v1``).
PRODUCTION_BASE_URL = "https://api.ship24.com"


class Ship24Settings(UpstreamSettings):
    """``api_key``: a Ship24 API key (Bearer); ``webhook_secret``: the webhook secret Ship24
    shows in its dashboard, which it sends as ``Authorization: Bearer <secret>``."""

    model_config = carrier_config("SHIPTRACK_SHIP24_")
    production_url = PRODUCTION_BASE_URL

    rate_limit: float = Field(
        5.0,
        description="Calls per second to Ship24 (its per-shipment plans allow more; keep "
        "headroom for other clients of the same key).",
    )
    min_interval: float = Field(
        1800.0,
        description="Shortest time between two polls of one number, in seconds: Ship24 "
        "pushes updates, polling is the fallback.",
    )
