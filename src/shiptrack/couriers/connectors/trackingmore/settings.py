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

    rate_limit: float = Field(
        3.0, description="Calls per second to TrackingMore (3/s for creates, 10/s for reads)."
    )
    min_interval: float = Field(
        3600.0,
        description="Shortest time between two polls of one number, in seconds: TrackingMore "
        "refreshes a number every 4–6 hours and pushes changes.",
    )
