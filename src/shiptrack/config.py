"""All of shiptrack's settings in one typed object.

Every field is read from the environment with the ``SHIPTRACK_`` prefix (``database_url`` from
``SHIPTRACK_DATABASE_URL``) or from a ``.env`` file in the working directory. Each field says
its default and why; ``docs/configuration.md`` is generated from these descriptions and a test
keeps it in step.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHIPTRACK_", env_file=".env", extra="ignore", frozen=True
    )

    # --- storage ---------------------------------------------------------------------------
    database_url: str = Field(
        "sqlite:///./shiptrack.db",
        description="Database URL. The default is a SQLite file in the working directory (WAL "
        "mode, zero set-up); a `postgresql://user@host/db` URL scales out to several processes.",
    )
    database_pool_size: int = Field(
        10, description="PostgreSQL connections per process (the API and engine share them)."
    )
    auto_migrate: bool = Field(
        True,
        description="`serve` and `worker` upgrade the schema on start (off: run "
        "`shiptrack db upgrade` yourself, e.g. before a rolling deploy).",
    )

    # --- HTTP API --------------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address `serve` listens on.")
    port: int = Field(8000, description="Port `serve` listens on.")
    workers: int = Field(1, description="API worker processes for `serve`.")
    max_body_bytes: int = Field(
        1_048_576, description="Largest request body accepted, in bytes (1 MiB); larger → 413."
    )
    rate_limits_enabled: bool = Field(
        True,
        description="Per-key, per-endpoint rate limits with Ship24's defaults (10/s, bulk "
        "3/s, couriers and resend 1/s). Self-hosters may turn them off.",
    )
    rate_limit_overrides: dict[str, int] = Field(
        default_factory=dict,
        description="Requests per second per endpoint name, overriding the "
        'defaults, as JSON: `{"create_tracker": 100, "list_couriers": 5}`.',
    )
    api_key_file: str = Field(
        "shiptrack-api-key.txt",
        description="Where the first `serve` on an empty database "
        "writes the default account's API key (mode 0600).",
    )
    log_level: str = Field("info", description="Log level: debug, info, warning, error.")
    log_json: bool = Field(False, description="Logs as JSON lines instead of key=value text.")

    # --- trackers --------------------------------------------------------------------------
    shipping_date_max_age_days: int = Field(
        180, description="Oldest `shippingDate` accepted, in days (Ship24: 180)."
    )
    max_couriers_per_tracker: int = Field(
        9, description="Most courier codes one tracker may hold after PATCHes (Ship24: 9)."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
