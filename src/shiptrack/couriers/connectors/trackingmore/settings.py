"""Settings of the TrackingMore upstream (env prefix ``SHIPTRACK_TRACKINGMORE_``)."""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import UpstreamSettings, carrier_config

PRODUCTION_BASE_URL = "https://api.trackingmore.com"


class TrackingMoreSettings(UpstreamSettings):
    """``api_key``: a TrackingMore API key (``Tracking-Api-Key``); ``webhook_secret``: the
    v4 webhook secret of admin → Developer."""

    model_config = carrier_config("SHIPTRACK_TRACKINGMORE_")
    production_url = PRODUCTION_BASE_URL
    #: Calls a second per endpoint (reference card ``apis/trackingmore.md`` §3, TrackingMore's
    #: "API request rate limit" article); after a 429, wait 120 s (same article).
    documented_limits = {
        "create": 3.0,
        "batch": 10.0,
        "get": 10.0,
        "update": 10.0,
        "delete": 10.0,
        "retrack": 10.0,
        "couriers": 10.0,
        "detect": 10.0,
    }
    documented_backoff = 120.0

    min_interval: float = Field(
        3600.0,
        description="Shortest time between two polls of one number, in seconds: TrackingMore "
        "refreshes a number every 4–6 hours and pushes changes.",
    )
