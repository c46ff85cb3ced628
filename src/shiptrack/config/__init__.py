"""All of shiptrack's settings in one typed object, with nested sections.

Every field is read from the environment with the ``SHIPTRACK_`` prefix (``database_url`` from
``SHIPTRACK_DATABASE_URL``) or from a ``.env`` file in the working directory. Each field says
its default and why; ``docs/configuration.md`` is generated from these descriptions and a test
keeps it in step. Sections keep their own prefix and documentation: ``settings.webhook``
(``SHIPTRACK_WEBHOOK_*``, ``config/webhooks.py``, docs/webhooks.md) is read when the
``Settings`` object is built, so a process never reads webhook settings behind its back.
"""

from __future__ import annotations

from functools import lru_cache
from typing import ClassVar

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shiptrack.config.webhooks import WebhookSettings


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
    database_read_pool_size: int = Field(
        4,
        ge=1,
        description="PostgreSQL connections per API process for its hottest reads (a "
        "tracker's results by id), on asyncpg directly, besides `database_pool_size`; opened "
        "on first use. A dropped connection is replaced and the read retried once, else 503.",
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
    forwarded_allow_ips: str = Field(
        "127.0.0.1,::1",
        description="Reverse proxies trusted to tell the client's address (`X-Forwarded-For`) "
        "and scheme (`X-Forwarded-Proto`): IP addresses and networks, comma-separated; from "
        "anyone else those headers are ignored. Empty: trust none; `*`: trust every peer "
        "(only when nothing but the proxy can reach the port).",
    )
    max_body_bytes: int = Field(
        1_048_576, description="Largest request body accepted, in bytes (1 MiB); larger → 413."
    )
    rate_limits_enabled: bool = Field(
        True,
        description="Per-account, per-endpoint rate limits with Ship24's defaults (10/s, "
        "bulk 3/s, couriers and resend 1/s; an account's keys share them). Self-hosters may "
        "turn them off.",
    )
    rate_limit_overrides: dict[str, int] = Field(
        default_factory=dict,
        description="Requests per second per endpoint name, overriding the "
        'defaults, as JSON: `{"create_tracker": 100, "list_couriers": 5}`.',
    )
    auth_failure_limit: int = Field(
        60,
        ge=0,
        description="Failed authentications (unknown or revoked API key) allowed per client "
        "address (IPv6: per /64) per `auth_failure_window_seconds`; past it the address gets "
        "429 without its keys being looked up, unless the key is already known. 0 turns the "
        "check off; it applies whether or not `rate_limits_enabled` is on.",
    )
    auth_failure_window_seconds: float = Field(
        60.0, gt=0, description="The window failed authentications are counted in (seconds)."
    )
    auth_cache_seconds: float = Field(
        10.0,
        ge=0,
        description="How long each API process trusts what it last read about an API key "
        "(seconds): a revoked key stops working everywhere within this time. 0 reads the "
        "key on every request.",
    )
    api_key_file: str = Field(
        "shiptrack-api-key.txt",
        description="Where the first `serve` on an empty database "
        "writes the default account's API key (mode 0600).",
    )
    log_level: str = Field("info", description="Log level: debug, info, warning, error.")
    log_json: bool = Field(False, description="Logs as JSON lines instead of key=value text.")
    access_log: bool = Field(
        False,
        description="One log line per API request: method, path, status, milliseconds, "
        "request id, client address (`serve --access-log` turns it on too).",
    )
    http_max_header_bytes: int = Field(
        65_536,
        description="Largest request head (request line and headers) `serve` reads, in bytes "
        "(64 KiB); a larger one is answered 431 and the connection closed.",
    )
    http_header_timeout_seconds: float = Field(
        10.0,
        description="Time a client has to send a whole request head, from its first byte; "
        "a slower (or half-sent) request is dropped.",
    )
    http_body_timeout_seconds: float = Field(
        30.0,
        description="Longest pause `serve` waits for more of a request body; then the "
        "connection is closed.",
    )
    http_keep_alive_seconds: float = Field(
        5.0, description="How long an idle keep-alive connection is kept open (uvicorn's)."
    )

    # --- metrics ---------------------------------------------------------------------------
    worker_metrics_port: int | None = Field(
        None,
        description="Port of `shiptrack worker`'s `/metrics`, `/healthz` and `/readyz` "
        "listener (`worker --metrics-port` too). Unset: no listener.",
    )
    worker_metrics_host: str = Field(
        "127.0.0.1", description="Address `shiptrack worker`'s metrics listener binds."
    )

    # --- trackers --------------------------------------------------------------------------
    shipping_date_max_age_days: int = Field(
        180, description="Oldest `shippingDate` accepted, in days (Ship24: 180)."
    )
    max_couriers_per_tracker: int = Field(
        9, description="Most courier codes one tracker may hold after PATCHes (Ship24: 9)."
    )

    # --- tracking engine -------------------------------------------------------------------
    engine_enabled: bool = Field(
        True,
        description="`serve` runs the tracking engine in the API process (the embedded "
        "default). Turn off when `shiptrack worker` processes do the tracking.",
    )
    engine_batch_size: int = Field(
        200, description="Due trackers one claim takes (one transaction claims, one stores)."
    )
    engine_concurrency: int = Field(
        16, description="Batches a process refreshes at once; courier calls overlap inside."
    )
    engine_lease_seconds: float = Field(
        120.0,
        description="How long a claimed tracker stays with its worker; a crashed "
        "worker's trackers are due again after it.",
    )
    engine_idle_poll_seconds: float = Field(
        1.0, description="How often an idle engine looks for due trackers (creates wake it)."
    )
    first_fetch_budget_seconds: float = Field(
        20.0,
        description="Time `POST /trackers/track` and `POST /tracking/search` wait for "
        "couriers on a first fetch (Ship24: up to a minute).",
    )
    check_interval_new_seconds: float = Field(
        900.0,
        description="Check cadence during a tracker's first day and the day after a "
        "new event (15 min).",
    )
    check_interval_near_delivery_seconds: float = Field(
        900.0, description="Cadence when out for delivery, failed attempt or awaiting pickup."
    )
    check_interval_active_seconds: float = Field(
        3600.0, description="Cadence while events arrived in the last `idle_after_days`."
    )
    check_interval_idle_seconds: float = Field(
        21600.0, description="Cadence after `idle_after_days` without events (6 h)."
    )
    idle_after_days: float = Field(3.0, description="Days without events before idle cadence.")
    error_backoff_max_seconds: float = Field(
        3600.0, description="Longest wait after repeated courier errors (doubling from 60 s)."
    )
    stop_after_delivered_hours: float = Field(
        24.0, description="Tracking stops this long after delivery (late scans still land)."
    )
    stop_after_exception_days: float = Field(
        7.0, description="Tracking stops this long after a final exception (returned, lost…)."
    )
    stop_after_inactive_days: float = Field(
        30.0, description="Tracking stops after this long without any new event."
    )
    stop_after_age_days: float = Field(
        180.0, description="Tracking stops this long after the tracker was created."
    )

    # --- retention -------------------------------------------------------------------------
    retention_stopped_tracker_days: float = Field(
        0.0,
        description="Delete a tracker this many days after its tracking stopped (delivered, "
        "expired, unsubscribed), with its shipment and events; the engine deletes in batches "
        "of 500. 0 keeps them forever (the default). Webhook messages have their own "
        "`SHIPTRACK_WEBHOOK_RETENTION_DAYS`.",
    )

    # --- sandbox courier -------------------------------------------------------------------
    sandbox_enabled: bool = Field(
        True,
        description="The built-in `sandbox` courier: Ship24's sample numbers and "
        "scripted journeys (docs/sandbox.md). Off in production if unwanted.",
    )
    sandbox_time_scale: float = Field(
        1.0,
        description="Simulated seconds per real second for scripted sandbox journeys "
        "(4320: three days in a minute). Sandbox trackers' cadence scales with it.",
    )
    sandbox_latency: float = Field(
        0.0, description="Seconds each sandbox call waits, to simulate a courier API."
    )

    # --- sections (their own prefix; documented in their own page) ---------------------------
    webhook: WebhookSettings = Field(
        default_factory=WebhookSettings,
        description="Webhook delivery (``SHIPTRACK_WEBHOOK_*``, docs/webhooks.md).",
    )

    #: The nested sections, left out of docs/configuration.md's table.
    SECTIONS: ClassVar[frozenset[str]] = frozenset({"webhook"})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()


def settings_markdown() -> str:
    """docs/configuration.md's table of settings, generated from the fields above."""
    lines = [
        "| Environment variable | Default | What it does |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        if name in Settings.SECTIONS:
            continue
        default = field.get_default(call_default_factory=True)
        shown = f"`{default}`" if default not in ("", None, {}) else "(none)"
        text = (field.description or "").replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `SHIPTRACK_{name.upper()}` | {shown} | {text} |")
    return "\n".join(lines) + "\n"


def webhook_settings(settings: Settings | WebhookSettings | None = None) -> WebhookSettings:
    """The webhook section: ``settings.webhook`` of the main settings, a ``WebhookSettings``
    itself, or — only when none is given — read from the environment."""
    if isinstance(settings, WebhookSettings):
        return settings
    if isinstance(settings, Settings):
        return settings.webhook
    return WebhookSettings()  # type: ignore[call-arg]  # (read from the environment)
