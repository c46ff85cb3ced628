"""Webhook delivery settings (the ``webhook`` section of ``Settings``), read from the
environment with the ``SHIPTRACK_WEBHOOK_`` prefix.

``retry_schedule`` comes from ``SHIPTRACK_WEBHOOK_RETRY_SCHEDULE``, and so on. Lists are
comma-separated (``5,300,1800``). Every field says its default and why; docs/webhooks.md
lists them.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: ten attempts over 3.15 days. Early
#: retries catch a deploy or a blip; the long tail outlasts a weekend outage.
DEFAULT_RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)

#: Margin kept between the end of a delivery's timeout and its lease expiry.
LEASE_MARGIN_SECONDS = 2.0


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class WebhookSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SHIPTRACK_WEBHOOK_", env_file=".env", extra="ignore", frozen=True
    )

    # --- delivery --------------------------------------------------------------------------
    dispatcher_enabled: bool = Field(
        True,
        description="Run the webhook dispatcher in `serve` and `worker` processes. Any number "
        "of dispatchers may run: claims are leased, so none sends the same attempt twice.",
    )
    retry_schedule: Annotated[list[float], NoDecode] = Field(
        default_factory=lambda: [float(s) for s in DEFAULT_RETRY_SCHEDULE],
        description="Seconds to wait before each retry, comma-separated. The default "
        "(5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h) makes 10 attempts over 3.15 "
        "days; after the last failure the message is given up (resend brings it back).",
    )
    retry_jitter: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Each retry delay is spread by ±this fraction (0.1: ±10%) so a receiver "
        "coming back is not hit by every queued message in the same second.",
    )
    max_retry_after_seconds: float = Field(
        86400,
        description="Longest `Retry-After` honoured (1 day); a longer one is capped. A retry "
        "waits for the schedule's delay or the receiver's Retry-After, whichever is longer.",
    )
    timeout_seconds: float = Field(
        15, description="Time allowed for one delivery, connect to last byte (Ship24: 15 s)."
    )
    max_in_flight_per_endpoint: int = Field(
        32,
        ge=1,
        description="Most requests in flight to one account's URL from one process: enough "
        "for >1,000 deliveries/s on a LAN, gentle on a receiver that slows down.",
    )
    max_in_flight: int = Field(
        256, ge=1, description="Most requests in flight from one process, all accounts together."
    )
    batch_size: int = Field(
        200, ge=1, description="Most messages one dispatcher claims per database round trip."
    )
    poll_interval_seconds: float = Field(
        0.5,
        description="How often an idle dispatcher looks for due messages. Messages written by "
        "the same process wake it at once; other processes' are found within this interval.",
    )
    round_interval_seconds: float = Field(
        0.05,
        description="Shortest time between two database rounds of a dispatcher (record "
        "outcomes, claim due messages): batches the writes (~50 deliveries a round at "
        "1,000/s) for at most this much added delay.",
    )
    claim_window: int = Field(
        2000,
        description="While some accounts are skipped because this dispatcher already holds "
        "4 × max_in_flight_per_endpoint of their messages, a claim looks at most this many "
        "of the oldest due messages for other accounts' (bounds a claim's cost).",
    )
    lease_seconds: float = Field(
        120,
        description="How long a claimed message belongs to its dispatcher. A dispatcher killed "
        "mid-delivery leaves leases that expire after this, then another one resends. Must be "
        "at least 2 × timeout_seconds + 2 (checked at start); a message still waiting for a "
        "slot that close to expiry is released instead of sent.",
    )
    response_body_limit: int = Field(
        4096,
        description="Bytes of a receiver's response body read and kept in the delivery log; "
        "the rest is never read.",
    )
    disable_after_days: float = Field(
        5,
        description="An endpoint failing every delivery for this long is disabled (its pending "
        "messages wait) and the account is told in GET /account/webhook and the logs. A "
        "`410 Gone` answer disables it at once.",
    )
    # --- account settings ------------------------------------------------------------------
    secret_overlap_hours: float = Field(
        24,
        description="After a secret rotation, messages are signed with both secrets (and the "
        "bearer header keeps the old one) for this long, so receivers can switch over.",
    )
    group_window_seconds: float = Field(
        900,
        description="With maxUpdatesPerMessage > 1, how long a message waits for more events "
        "of the same tracker before it is sent (Ship24: about 15 minutes).",
    )
    max_updates_per_message_limit: int = Field(
        100, description="Largest maxUpdatesPerMessage an account may set."
    )
    probe_on_save: bool = Field(
        True,
        description="Saving a webhook URL sends it a `HEAD` request and refuses the URL unless "
        "it answers 2xx (as Ship24 did). Turn off for receivers that cannot answer HEAD.",
    )
    # --- safety ----------------------------------------------------------------------------
    allow_private: bool = Field(
        False,
        description="Allow webhook URLs resolving to private, loopback, link-local or other "
        "non-public addresses. Off by default (SSRF protection); tests and all-local setups "
        "turn it on.",
    )
    allowed_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Networks (CIDR, comma-separated) allowed even though they are not public, "
        "e.g. `10.20.0.0/16` for receivers on an internal network.",
    )
    # --- retention -------------------------------------------------------------------------
    retention_days: float = Field(
        30,
        description="Finished messages (delivered, given up, dropped) and their delivery log "
        "are deleted after this many days; resend and history cover this period.",
    )

    @field_validator("retry_schedule", mode="before")
    @classmethod
    def _schedule(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("retry_schedule")
    @classmethod
    def _non_negative(cls, value: list[float]) -> list[float]:
        if any(delay < 0 for delay in value):
            raise ValueError("retry delays must be zero or more seconds")
        return value

    @field_validator("allowed_networks", mode="before")
    @classmethod
    def _networks(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("allowed_networks")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        for network in value:
            ipaddress.ip_network(network, strict=False)
        return value
