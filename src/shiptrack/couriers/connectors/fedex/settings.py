"""FedEx connector settings, read from ``SHIPTRACK_FEDEX_*`` variables or the ``.env`` file."""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import OAuthCarrierSettings, carrier_config

PRODUCTION_URL = "https://apis.fedex.com"
SANDBOX_URL = "https://apis-sandbox.fedex.com"


class FedexSettings(OAuthCarrierSettings):
    """``client_id``/``client_secret``: API key and secret key of your project on
    developer.fedex.com (unset: FedEx off); ``use_sandbox``: FedEx's sandbox
    (apis-sandbox.fedex.com) instead of production (apis.fedex.com), which only knows FedEx's
    published test numbers; ``base_url``: any other origin, the paths /oauth/token and
    /track/v1/trackingnumbers are appended."""

    model_config = carrier_config("SHIPTRACK_FEDEX_")
    production_url = PRODUCTION_URL
    sandbox_url = SANDBOX_URL

    locale: str = Field("en_US", description="Language of FedEx's event descriptions.")
    rate_limit: float = Field(
        10.0,
        description="Calls per second to FedEx (each call carries up to 30 numbers; "
        "FedEx throttles bursts above about 1,400 calls per 10 s with 429).",
    )
    min_interval: float = Field(
        900.0, description="Shortest time between two checks of one number, in seconds."
    )
