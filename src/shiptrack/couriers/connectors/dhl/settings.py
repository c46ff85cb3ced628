"""Settings of the DHL Shipment Tracking - Unified connector (env prefix ``SHIPTRACK_DHL_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_DHL_API_KEY`` the connector is not built at all.
"""

from __future__ import annotations

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import ApiKeyCarrierSettings, carrier_config

#: Production host of DHL's API gateway (the path is ``/track/shipments``).
PRODUCTION_BASE_URL = "https://api-eu.dhl.com"
#: Host named as the server in DHL's own OpenAPI document for this API ("api-test"); the
#: developer portal's try-it console uses it. DHL support says the test environment is not open
#: to every external customer, so most keys only work in production.
SANDBOX_BASE_URL = "https://api-test.dhl.com"


class DhlSettings(ApiKeyCarrierSettings):
    """``api_key``: key of a developer.dhl.com app subscribed to 'Shipment Tracking - Unified',
    sent as the ``DHL-API-Key`` header; ``base_url`` wins over ``use_sandbox``."""

    model_config = carrier_config("SHIPTRACK_DHL_")
    production_url = PRODUCTION_BASE_URL

    use_sandbox: bool = Field(
        False,
        description=f"Call DHL's test host ({SANDBOX_BASE_URL}) instead of production "
        f"({PRODUCTION_BASE_URL}).",
    )
    requester_country_code: str | None = Field(
        None,
        description="ISO 3166-1 alpha-2 country of the consumer of the answer "
        "(`requesterCountryCode`); DHL uses it to optimise the answer.",
    )
    language: str = Field(
        "en",
        description="ISO 639-1 language asked for event texts (`language`); availability "
        "depends on the DHL service, German (`de`) is common for DHL Paket.",
    )
    rate_limit: float = Field(
        0.2,
        description="Calls per second the scheduler may make. Default one call per 5 s, "
        "the spacing DHL's initial service level tolerates (250 calls/day, about 1 call/s at "
        "most); raise it after DHL grants an upgrade.",
    )
    min_interval: float = Field(
        3600.0,
        description="Shortest time between two checks of one number, in seconds. With "
        "250 calls a day, hourly checks already cover only ~10 live parcels.",
    )

    def default_url(self) -> str:
        return SANDBOX_BASE_URL if self.use_sandbox else PRODUCTION_BASE_URL
