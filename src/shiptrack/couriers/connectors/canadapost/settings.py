"""Settings of the Canada Post tracking connector (env prefix ``SHIPTRACK_CANADAPOST_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_CANADAPOST_CLIENT_ID`` (the API key's user name) and
``SHIPTRACK_CANADAPOST_CLIENT_SECRET`` (its password) the connector is not built at all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import carrier_config
from shiptrack.couriers.connectors.keypair import KeyPairCarrierSettings

PRODUCTION_BASE_URL = "https://soa-gw.canadapost.ca"
SANDBOX_BASE_URL = "https://ct.soa-gw.canadapost.ca"


class CanadaPostSettings(KeyPairCarrierSettings):
    """``client_id``/``client_secret``: the two halves (``user:password``) of a Canada Post
    Developer Program API key, sent as HTTP Basic authorization; ``base_url`` wins over
    ``use_sandbox`` (the development key works only on the development host)."""

    model_config = carrier_config("SHIPTRACK_CANADAPOST_")
    production_url = PRODUCTION_BASE_URL

    use_sandbox: bool = Field(
        False,
        description=f"Call Canada Post's development host ({SANDBOX_BASE_URL}) with the "
        "development key instead of production.",
    )
    language: Literal["en-CA", "fr-CA"] = Field(
        "en-CA", description="Language of event descriptions (`Accept-language`): en-CA or fr-CA."
    )
    rate_limit: float = Field(
        2.0,
        description="Calls per second the scheduler may make (the key's own limit is shown in "
        "the developer portal; past it Canada Post blocks the key for up to a minute).",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )

    def default_url(self) -> str:
        return SANDBOX_BASE_URL if self.use_sandbox else PRODUCTION_BASE_URL
