"""USPS connector settings, read from ``SHIPTRACK_USPS_*`` variables or the ``.env`` file."""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import OAuthCarrierSettings, carrier_config

PRODUCTION_URL = "https://apis.usps.com"
SANDBOX_URL = "https://apis-tem.usps.com"


class UspsSettings(OAuthCarrierSettings):
    """``client_id``/``client_secret``: consumer key and secret of your app on
    developers.usps.com (unset: USPS off); ``use_sandbox``: USPS's test environment
    (apis-tem.usps.com) instead of production (apis.usps.com); ``base_url``: any other origin,
    the token path /oauth2/v3/token and tracking path /tracking/v3/... are appended."""

    model_config = carrier_config("SHIPTRACK_USPS_")
    production_url = PRODUCTION_URL
    sandbox_url = SANDBOX_URL

    rate_limit: float = Field(
        60 / 3600,
        description="Calls per second to USPS. USPS grants new apps 60 calls per "
        "hour; raise it once USPS has raised your quota.",
    )
    min_interval: float = Field(
        3600.0, description="Shortest time between two checks of one number, in seconds."
    )
