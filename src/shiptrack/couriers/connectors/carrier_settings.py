"""What every carrier connector's settings share.

Each carrier package has its own settings class (``UspsSettings``, ``DhlSettings``...) with its
own ``env_prefix`` (``SHIPTRACK_USPS_``...), read from the environment or the ``.env`` file in
the working directory, like shiptrack's main settings; the connector is not built at all
without credentials. The classes here hold the fields and rules that are the same everywhere:

- ``CarrierSettings``: ``base_url`` (an origin override: a proxy, a fake server on 127.0.0.1),
  ``timeout``, ``rate_limit`` and ``min_interval`` (the last two with each carrier's defaults);
- ``OAuthCarrierSettings`` (USPS, UPS, FedEx): ``client_id``/``client_secret`` and the
  ``use_sandbox`` switch; ``configured`` and ``api_url`` are properties;
- ``ApiKeyCarrierSettings`` (DHL, La Poste): one ``api_key``; ``configured()`` and
  ``resolved_base_url()`` are methods;
- ``UpstreamSettings`` (the aggregators: Ship24, 17TRACK, AfterShip, TrackingMore): an API key
  plus the push callbacks' secret and the operator's budgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def carrier_config(env_prefix: str) -> SettingsConfigDict:
    """The settings config of one carrier: its variables, the ``.env`` file, frozen values."""
    return SettingsConfigDict(env_prefix=env_prefix, env_file=".env", extra="ignore", frozen=True)


class CarrierSettings(BaseSettings):
    """The fields every carrier has; subclasses set ``model_config = carrier_config(prefix)``,
    ``production_url`` and their own ``rate_limit``/``min_interval`` defaults."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    #: The carrier's production origin (scheme://host, no path).
    production_url: ClassVar[str]

    base_url: str | None = Field(
        None,
        description="Override the API origin (scheme://host[:port], no path), e.g. a fake "
        "server on 127.0.0.1 for tests and demos; the API paths are appended.",
    )
    timeout: float = Field(20.0, description="Seconds allowed for one call to the carrier.")
    rate_limit: float = Field(description="Calls per second to the carrier.")
    min_interval: float = Field(
        description="Shortest time between two checks of one number, in seconds."
    )

    def resolved_base_url(self) -> str:
        """The origin to call: the ``base_url`` override, else ``default_url()``."""
        if self.base_url:
            return self.base_url.rstrip("/")
        return self.default_url()

    def default_url(self) -> str:
        """The origin without an override: production (subclasses add a sandbox switch)."""
        return self.production_url


class OAuthCarrierSettings(CarrierSettings):
    """A carrier reached with OAuth 2 client credentials, with a test environment."""

    #: The carrier's test environment, used when ``use_sandbox`` is set.
    sandbox_url: ClassVar[str]

    client_id: str | None = Field(
        None, description="Client id (API key) of your app with the carrier (unset: off)."
    )
    client_secret: SecretStr | None = Field(None, description="Client secret of that app.")
    use_sandbox: bool = Field(
        False, description="Use the carrier's test environment instead of production."
    )

    def default_url(self) -> str:
        return self.sandbox_url if self.use_sandbox else self.production_url

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret and self.client_secret.get_secret_value())

    @property
    def api_url(self) -> str:
        return self.resolved_base_url()


class ApiKeyCarrierSettings(CarrierSettings):
    """A carrier reached with one API key sent as a header with every call."""

    api_key: SecretStr | None = Field(
        None, description="API key sent with every call. Unset: the connector is not used."
    )

    def configured(self) -> bool:
        return self.api_key is not None and bool(self.api_key.get_secret_value().strip())


class UpstreamSettings(ApiKeyCarrierSettings):
    """An upstream's settings: its key, the secret its pushes are verified with, its limits
    and the operator's budgets (0: no budget).

    ``documented_limits`` (each provider's class) are the calls a second the provider allows
    per endpoint on its entry plans; ``rate_limits`` raises or lowers them for a plan that
    allows more (or less), ``max_in_flight`` caps the calls waiting for an answer at once and
    ``backoff_seconds`` is the wait after a 429 that names none.
    """

    #: endpoint → calls a second the provider documents (what ``rate_limits`` may name).
    documented_limits: ClassVar[Mapping[str, float]] = {}
    #: Seconds the provider says to wait after a 429 when its answer names no wait.
    documented_backoff: ClassVar[float] = 1.0

    rate_limit: float = Field(
        0.0,
        ge=0,
        description="Most batches a second the engine hands this source, 0 for no cap of its "
        "own: every HTTP call keeps to the provider's per-endpoint limits (RATE_LIMITS).",
    )
    rate_limits: dict[str, float] = Field(
        default_factory=dict,
        description="Calls a second per endpoint, as JSON, replacing the provider's documented "
        'limits for the endpoints named (`{"list": 12, "create": 40}` on a plan that allows '
        "more; 0 lifts an endpoint's limit). Unknown endpoints are refused.",
    )
    max_in_flight: int = Field(
        64,
        ge=1,
        description="Most calls to the provider waiting for their answer at once, per process.",
    )
    backoff_seconds: float | None = Field(
        None,
        ge=0,
        description="Seconds an endpoint is held after a 429 that names no wait (unset: the "
        "provider's documented back-off; TrackingMore 120, the others 1).",
    )

    registrations_per_day: int = Field(
        0,
        ge=0,
        description="Most new registrations (what the provider bills) per UTC day, across "
        "every process; 0 for no budget. Trackers beyond it wait for the next day and say so.",
    )
    registrations_per_month: int = Field(
        0,
        ge=0,
        description="Most new registrations per UTC calendar month, across every process; 0 for "
        "no budget.",
    )
    calls_per_minute: int = Field(
        0,
        ge=0,
        description="Most API calls (register, poll, stop) per UTC minute, across every "
        "process; 0 for no budget (the provider's rate limits still pace calls).",
    )

    @field_validator("rate_limits")
    @classmethod
    def _known_endpoints(cls, limits: dict[str, float]) -> dict[str, float]:
        prefix = str(cls.model_config.get("env_prefix", ""))
        known = ", ".join(cls.documented_limits) or "none"
        for endpoint, rate in limits.items():
            if endpoint not in cls.documented_limits:
                raise ValueError(
                    f"{prefix}RATE_LIMITS names {endpoint!r}, which is no endpoint of this "
                    f"provider; its endpoints are: {known}"
                )
            if rate < 0:
                raise ValueError(
                    f"{prefix}RATE_LIMITS gives {endpoint!r} {rate:g} calls a second; give a "
                    "positive rate, or 0 for no limit"
                )
        return limits

    def endpoint_limits(self) -> dict[str, float]:
        """endpoint → calls a second to keep to: the documented limits with ``rate_limits``
        applied (0: that endpoint is not paced)."""
        return {**self.documented_limits, **self.rate_limits}

    def backoff(self) -> float:
        """The wait after a 429 that names none."""
        return self.documented_backoff if self.backoff_seconds is None else self.backoff_seconds

    webhook_secret: SecretStr | None = Field(
        None,
        description="Secret the provider's push callbacks are verified with (unset: pushes "
        "to POST /v1/sources/{source}/callback are refused and polling alone is used).",
    )
