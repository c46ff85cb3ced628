"""UPS connector settings, read from ``SHIPTRACK_UPS_*`` variables or the ``.env`` file."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PRODUCTION_URL = "https://onlinetools.ups.com"
SANDBOX_URL = "https://wwwcie.ups.com"


class UpsSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHIPTRACK_UPS_", env_file=".env", extra="ignore", frozen=True
    )

    client_id: str | None = Field(
        None, description="Client ID of your app on developer.ups.com (unset: UPS off)."
    )
    client_secret: SecretStr | None = Field(None, description="Client secret of that app.")
    merchant_id: str | None = Field(
        None, description="Optional 6-character UPS account number, sent as x-merchant-id "
        "with token requests."
    )
    use_sandbox: bool = Field(
        False, description="Use the Customer Integration Environment (wwwcie.ups.com) "
        "instead of production (onlinetools.ups.com)."
    )
    base_url: str | None = Field(
        None, description="Override the API origin (e.g. a fake server on 127.0.0.1); the "
        "paths /security/v1/oauth/token and /api/track/v1/details/... are appended."
    )
    transaction_src: str = Field(
        "shiptrack", description="The transactionSrc header UPS requires on tracking calls."
    )
    locale: str = Field("en_US", description="Language of UPS's status descriptions.")
    timeout: float = Field(20.0, description="Seconds allowed for one UPS call.")
    rate_limit: float = Field(
        5.0, description="Calls per second to UPS (UPS meters per second; it publishes no "
        "fixed figure, 5/s stays well clear of throttling)."
    )
    min_interval: float = Field(
        900.0, description="Shortest time between two checks of one number, in seconds."
    )

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret and self.client_secret.get_secret_value())

    @property
    def api_url(self) -> str:
        if self.base_url:
            return self.base_url.rstrip("/")
        return SANDBOX_URL if self.use_sandbox else PRODUCTION_URL
