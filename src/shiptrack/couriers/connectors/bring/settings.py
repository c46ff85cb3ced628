"""Settings of the Bring / Posten Norge tracking connector (env prefix ``SHIPTRACK_BRING_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Bring refuses unauthenticated tracking calls since 2024-05-13: without both
``SHIPTRACK_BRING_API_KEY`` and ``SHIPTRACK_BRING_API_UID`` the connector is not built at all.
Bring has no separate test host; its test numbers (``TESTPACKAGEDELIVERED``…) answer on
production.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shiptrack.couriers.connectors.carrier_settings import ApiKeyCarrierSettings, carrier_config

PRODUCTION_BASE_URL = "https://api.bring.com"


class BringSettings(ApiKeyCarrierSettings):
    """``api_key``: a Mybring API key (Mybring > Settings > API), sent as
    ``X-Mybring-API-Key`` with the login in ``X-Mybring-API-Uid``."""

    model_config = carrier_config("SHIPTRACK_BRING_")
    production_url = PRODUCTION_BASE_URL

    api_uid: str | None = Field(
        None, description="The Mybring login (e-mail) the API key belongs to (unset: off)."
    )
    client_url: str = Field(
        "https://shiptrack.invalid",
        description="Your site, sent as `X-Bring-Client-URL` as Bring asks of every client.",
    )
    lang: Literal["en", "no", "sv", "da"] = Field(
        "en", description="Language of event descriptions (`lang`): en, no, sv or da."
    )
    rate_limit: float = Field(
        2.0,
        description="Calls per second the scheduler may make (Bring publishes no number for "
        "authenticated calls; Event Cast allows 50 concurrent requests per user).",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )

    def configured(self) -> bool:
        return super().configured() and bool((self.api_uid or "").strip())
