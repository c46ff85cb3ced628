"""FedEx connector settings, read from ``SHIPTRACK_FEDEX_*`` variables or the ``.env`` file."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PRODUCTION_URL = "https://apis.fedex.com"
SANDBOX_URL = "https://apis-sandbox.fedex.com"


class FedexSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHIPTRACK_FEDEX_", env_file=".env", extra="ignore", frozen=True
    )

    client_id: str | None = Field(
        None, description="API key of your project on developer.fedex.com (unset: FedEx off)."
    )
    client_secret: SecretStr | None = Field(None, description="Secret key of that project.")
    use_sandbox: bool = Field(
        False, description="Use FedEx's sandbox (apis-sandbox.fedex.com) instead of production "
        "(apis.fedex.com). The sandbox only knows FedEx's published test numbers."
    )
    base_url: str | None = Field(
        None, description="Override the API origin (e.g. a fake server on 127.0.0.1); the "
        "paths /oauth/token and /track/v1/trackingnumbers are appended."
    )
    locale: str = Field("en_US", description="Language of FedEx's event descriptions.")
    timeout: float = Field(20.0, description="Seconds allowed for one FedEx call.")
    rate_limit: float = Field(
        10.0, description="Calls per second to FedEx (each call carries up to 30 numbers; "
        "FedEx throttles bursts above about 1,400 calls per 10 s with 429)."
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
