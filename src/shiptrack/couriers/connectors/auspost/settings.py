"""Settings of the Australia Post tracking connector (env prefix ``SHIPTRACK_AUSPOST_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. The Shipping and Tracking API is for contract customers (eParcel, StarTrack): without
``SHIPTRACK_AUSPOST_API_KEY``, ``_PASSWORD`` and ``_ACCOUNT_NUMBER`` the connector is not built.
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from shiptrack.couriers.connectors.carrier_settings import ApiKeyCarrierSettings, carrier_config

PRODUCTION_BASE_URL = "https://digitalapi.auspost.com.au"


class AusPostSettings(ApiKeyCarrierSettings):
    """``api_key`` and ``password``: the Shipping and Tracking API key and its password
    (Developer Centre), sent as HTTP Basic credentials with the ``Account-Number`` header."""

    model_config = carrier_config("SHIPTRACK_AUSPOST_")
    production_url = PRODUCTION_BASE_URL

    password: SecretStr | None = Field(None, description="Password of the API key.")
    account_number: str | None = Field(
        None, description="Your 10-digit charge account number (`Account-Number` header)."
    )
    use_sandbox: bool = Field(
        False,
        description="Call Australia Post's test environment (path prefix `/test`) instead "
        "of production.",
    )
    rate_limit: float = Field(
        1.0,
        description="Calls per second the scheduler may make (Australia Post limits each "
        "credential and publishes no number; each call carries up to 10 ids).",
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )

    def configured(self) -> bool:
        password = self.password.get_secret_value() if self.password else ""
        return super().configured() and bool(password) and bool(self.account_number)

    @property
    def path_prefix(self) -> str:
        """``/test`` on the test environment, else nothing."""
        return "/test" if self.use_sandbox else ""
