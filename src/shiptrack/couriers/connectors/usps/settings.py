"""USPS connector settings, read from ``SHIPTRACK_USPS_*`` variables or the ``.env`` file."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PRODUCTION_URL = "https://apis.usps.com"
SANDBOX_URL = "https://apis-tem.usps.com"


class UspsSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHIPTRACK_USPS_", env_file=".env", extra="ignore", frozen=True
    )

    client_id: str | None = Field(
        None, description="Consumer key of your app on developers.usps.com (unset: USPS off)."
    )
    client_secret: SecretStr | None = Field(None, description="Consumer secret of that app.")
    use_sandbox: bool = Field(
        False, description="Use USPS's test environment (apis-tem.usps.com) instead of "
        "production (apis.usps.com)."
    )
    base_url: str | None = Field(
        None, description="Override the API origin (e.g. a fake server on 127.0.0.1); the "
        "token path /oauth2/v3/token and tracking path /tracking/v3/... are appended."
    )
    timeout: float = Field(20.0, description="Seconds allowed for one USPS call.")
    rate_limit: float = Field(
        60 / 3600, description="Calls per second to USPS. USPS grants new apps 60 calls per "
        "hour; raise it once USPS has raised your quota."
    )
    min_interval: float = Field(
        3600.0, description="Shortest time between two checks of one number, in seconds."
    )

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret and self.client_secret.get_secret_value())

    @property
    def api_url(self) -> str:
        if self.base_url:
            return self.base_url.rstrip("/")
        return SANDBOX_URL if self.use_sandbox else PRODUCTION_URL
