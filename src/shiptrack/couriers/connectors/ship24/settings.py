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
    #: Calls a second per key and endpoint (spec ``ship24-api.md`` §3.1 and §6.3).
    documented_limits = {
        "create": 10.0,
        "track": 10.0,
        "bulk": 3.0,
        "results": 10.0,
        "update": 10.0,
        "list": 10.0,
    }

    min_interval: float = Field(
        1800.0,
        description="Shortest time between two polls of one number, in seconds: Ship24 "
        "pushes updates, polling is the fallback.",
    )
