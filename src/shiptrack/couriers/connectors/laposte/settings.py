"""Settings of the La Poste "Suivi v2" connector (env prefix ``SHIPTRACK_LAPOSTE_``).

Read from the environment or the ``.env`` file in the working directory, like shiptrack's main
settings. Without ``SHIPTRACK_LAPOSTE_API_KEY`` the connector is not built at all. La Poste has
no separate test host for Suivi v2 (its portal hands out a shared, heavily throttled demo key
for the production host instead), so there is no sandbox switch.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PRODUCTION_BASE_URL = "https://api.laposte.fr"

Lang = Literal["fr_FR", "en_GB", "de_DE", "es_ES", "it_IT", "nl_NL"]


class LaPosteSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHIPTRACK_LAPOSTE_", env_file=".env", extra="ignore", frozen=True
    )

    api_key: SecretStr | None = Field(
        None, description="Okapi key of a developer.laposte.fr application subscribed to the "
        "'Suivi' API (v2), sent as the `X-Okapi-Key` header. Unset: the connector is not used."
    )
    base_url: str | None = Field(
        None, description="Overrides the host (scheme://host[:port], no path), e.g. a fake La "
        f"Poste server on 127.0.0.1 for tests and demos. Default {PRODUCTION_BASE_URL}."
    )
    timeout: float = Field(20.0, description="Seconds one tracking call may take.")
    lang: Lang = Field(
        "fr_FR", description="Language of event labels (`lang`): fr_FR, en_GB, de_DE, es_ES, "
        "it_IT or nl_NL."
    )
    rate_limit: float = Field(
        10.0, description="Calls per second the scheduler may make (La Poste's published plan "
        "quota for Suivi: 10 calls/s; each call carries up to 10 numbers)."
    )
    min_interval: float = Field(
        1800.0, description="Shortest time between two checks of one number, in seconds."
    )

    def resolved_base_url(self) -> str:
        return (self.base_url or PRODUCTION_BASE_URL).rstrip("/")

    def configured(self) -> bool:
        return self.api_key is not None and bool(self.api_key.get_secret_value().strip())
