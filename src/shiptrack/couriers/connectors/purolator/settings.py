"""Settings of the Purolator TrackingService connector (env prefix ``SHIPTRACK_PUROLATOR_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_PUROLATOR_CLIENT_ID`` (the E-Ship activation key) and
``SHIPTRACK_PUROLATOR_CLIENT_SECRET`` (its password) the connector is not built at all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import carrier_config
from shiptrack.couriers.connectors.keypair import KeyPairCarrierSettings

PRODUCTION_BASE_URL = "https://webservices.purolator.com"
SANDBOX_BASE_URL = "https://devwebservices.purolator.com"


class PurolatorSettings(KeyPairCarrierSettings):
    """``client_id``/``client_secret``: an E-Ship Web Services activation key and password,
    sent as HTTP Basic authorization; ``base_url`` wins over ``use_sandbox``."""

    model_config = carrier_config("SHIPTRACK_PUROLATOR_")
    production_url = PRODUCTION_BASE_URL

    use_sandbox: bool = Field(
        False,
        description=f"Call Purolator's development host ({SANDBOX_BASE_URL}) with a "
        "development key instead of production.",
    )
    language: Literal["en", "fr"] = Field(
        "en", description="Language of scan descriptions (`RequestContext/Language`): en or fr."
    )
    rate_limit: float = Field(
        2.0,
        description="Calls per second the scheduler may make (Purolator publishes no limit).",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )

    def default_url(self) -> str:
        return SANDBOX_BASE_URL if self.use_sandbox else PRODUCTION_BASE_URL
