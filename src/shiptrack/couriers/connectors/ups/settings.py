"""UPS connector settings, read from ``SHIPTRACK_UPS_*`` variables or the ``.env`` file."""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import OAuthCarrierSettings, carrier_config

PRODUCTION_URL = "https://onlinetools.ups.com"
SANDBOX_URL = "https://wwwcie.ups.com"


class UpsSettings(OAuthCarrierSettings):
    """``client_id``/``client_secret``: client ID and secret of your app on developer.ups.com
    (unset: UPS off); ``use_sandbox``: the Customer Integration Environment (wwwcie.ups.com)
    instead of production (onlinetools.ups.com); ``base_url``: any other origin, the paths
    /security/v1/oauth/token and /api/track/v1/details/... are appended."""

    model_config = carrier_config("SHIPTRACK_UPS_")
    production_url = PRODUCTION_URL
    sandbox_url = SANDBOX_URL

    merchant_id: str | None = Field(
        None,
        description="Optional 6-character UPS account number, sent as x-merchant-id "
        "with token requests.",
    )
    transaction_src: str = Field(
        "shiptrack", description="The transactionSrc header UPS requires on tracking calls."
    )
    locale: str = Field("en_US", description="Language of UPS's status descriptions.")
    rate_limit: float = Field(
        5.0,
        description="Calls per second to UPS (UPS meters per second; it publishes no "
        "fixed figure, 5/s stays well clear of throttling).",
    )
    min_interval: float = Field(
        900.0, description="Shortest time between two checks of one number, in seconds."
    )
