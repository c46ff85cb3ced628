"""Settings of the La Poste "Suivi v2" connector (env prefix ``SHIPTRACK_LAPOSTE_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_LAPOSTE_API_KEY`` the connector is not built at all. La Poste has
no separate test host for Suivi v2 (its portal hands out a shared, heavily throttled demo key
for the production host instead), so there is no sandbox switch.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import ApiKeyCarrierSettings, carrier_config

PRODUCTION_BASE_URL = "https://api.laposte.fr"

Lang = Literal["fr_FR", "en_GB", "de_DE", "es_ES", "it_IT", "nl_NL"]


class LaPosteSettings(ApiKeyCarrierSettings):
    """``api_key``: Okapi key of a developer.laposte.fr application subscribed to the 'Suivi'
    API (v2), sent as the ``X-Okapi-Key`` header; ``base_url`` defaults to the production
    host."""

    model_config = carrier_config("SHIPTRACK_LAPOSTE_")
    production_url = PRODUCTION_BASE_URL

    lang: Lang = Field(
        "fr_FR",
        description="Language of event labels (`lang`): fr_FR, en_GB, de_DE, es_ES, "
        "it_IT or nl_NL.",
    )
    rate_limit: float = Field(
        10.0,
        description="Calls per second the scheduler may make (La Poste's published plan "
        "quota for Suivi: 10 calls/s; each call carries up to 10 numbers).",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )
