"""Settings of the 17TRACK upstream (env prefix ``SHIPTRACK_17TRACK_``)."""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import UpstreamSettings, carrier_config

PRODUCTION_BASE_URL = "https://api.17track.net"


class Track17Settings(UpstreamSettings):
    """``api_key``: the 17TRACK security key (``17token`` header). 17TRACK signs its pushes
    with that same key: ``webhook_secret`` is not used."""

    model_config = carrier_config("SHIPTRACK_17TRACK_")
    production_url = PRODUCTION_BASE_URL
    #: 3 requests a second per key, every endpoint together (reference card
    #: ``apis/17track.md`` §2; HTTP 429 above it).
    documented_limits = {"all": 3.0}

    min_interval: float = Field(
        3600.0,
        description="Shortest time between two polls of one number, in seconds: 17TRACK "
        "pushes updates, polling is the fallback (reads are free, registrations cost quota).",
    )
