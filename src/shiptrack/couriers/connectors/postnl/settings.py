"""Settings of the PostNL ShippingStatus v2 connector (env prefix ``SHIPTRACK_POSTNL_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_POSTNL_API_KEY`` the connector is not built at all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import ApiKeyCarrierSettings, carrier_config

PRODUCTION_BASE_URL = "https://api.postnl.nl"
SANDBOX_BASE_URL = "https://api-sandbox.postnl.nl"


class PostNLSettings(ApiKeyCarrierSettings):
    """``api_key``: the API key of a PostNL business account (sent as the ``apikey`` header);
    ``base_url`` wins over ``use_sandbox``."""

    model_config = carrier_config("SHIPTRACK_POSTNL_")
    production_url = PRODUCTION_BASE_URL

    use_sandbox: bool = Field(
        False, description=f"Call PostNL's sandbox ({SANDBOX_BASE_URL}) instead of production."
    )
    language: Literal["NL", "EN", "CN", "DE", "FR"] = Field(
        "EN", description="Language of event descriptions (`language`): NL, EN, CN, DE or FR."
    )
    rate_limit: float = Field(
        4.0,
        description="Calls per second the scheduler may make (PostNL's error 9 names a "
        "per-second maximum without publishing it).",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )

    def default_url(self) -> str:
        return SANDBOX_BASE_URL if self.use_sandbox else PRODUCTION_BASE_URL
