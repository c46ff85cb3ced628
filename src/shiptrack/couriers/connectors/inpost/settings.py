"""Settings of the InPost ShipX connector (env prefix ``SHIPTRACK_INPOST_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_INPOST_API_KEY`` the connector is not built at all: InPost's
Polish documentation (v1.7.3) calls the tracking resource public, but newer pages no longer
say so and the API sits behind bot protection, so shiptrack calls it as a ShipX client, with
the organization's token.
"""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import ApiKeyCarrierSettings, carrier_config

PRODUCTION_BASE_URL = "https://api-shipx-pl.easypack24.net"
SANDBOX_BASE_URL = "https://sandbox-api-shipx-pl.easypack24.net"


class InPostSettings(ApiKeyCarrierSettings):
    """``api_key``: the ShipX API token of an InPost Manager organization (My Account > API),
    sent as ``Authorization: Bearer``; ``base_url`` wins over ``use_sandbox``."""

    model_config = carrier_config("SHIPTRACK_INPOST_")
    production_url = PRODUCTION_BASE_URL

    use_sandbox: bool = Field(
        False,
        description=f"Call InPost's sandbox ({SANDBOX_BASE_URL}) instead of production "
        f"({PRODUCTION_BASE_URL}); sandbox tokens work only there.",
    )
    rate_limit: float = Field(
        1.0,
        description="Calls per second the scheduler may make. InPost publishes no limit; "
        "one call a second stays well under what clients observe.",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )

    def default_url(self) -> str:
        return SANDBOX_BASE_URL if self.use_sandbox else PRODUCTION_BASE_URL
