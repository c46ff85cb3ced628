"""Settings of the PostNord Track & Trace connector (env prefix ``SHIPTRACK_POSTNORD_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_POSTNORD_API_KEY`` the connector is not built at all. Sandbox keys
(atdeveloper.postnord.com) work only on the test host: set ``use_sandbox`` with them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import ApiKeyCarrierSettings, carrier_config

PRODUCTION_BASE_URL = "https://api2.postnord.com"
SANDBOX_BASE_URL = "https://atapi2.postnord.com"


class PostNordSettings(ApiKeyCarrierSettings):
    """``api_key``: the 32-character key of a developer.postnord.com application subscribed to
    Track & Trace, sent as the ``apikey`` query parameter; ``base_url`` wins over
    ``use_sandbox``."""

    model_config = carrier_config("SHIPTRACK_POSTNORD_")
    production_url = PRODUCTION_BASE_URL

    use_sandbox: bool = Field(
        False,
        description=f"Call PostNord's test host ({SANDBOX_BASE_URL}) instead of production "
        f"({PRODUCTION_BASE_URL}).",
    )
    locale: Literal["en", "sv", "no", "da", "fi"] = Field(
        "en", description="Language of event descriptions (`locale`): en, sv, no, da or fi."
    )
    rate_limit: float = Field(
        1.0,
        description="Calls per second the scheduler may make (PostNord throttles per API and "
        "publishes no number).",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )

    def default_url(self) -> str:
        return SANDBOX_BASE_URL if self.use_sandbox else PRODUCTION_BASE_URL
