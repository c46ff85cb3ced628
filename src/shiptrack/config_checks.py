"""Settings checked against each other at start: a combination that cannot work stops the
process with a message naming the variables and how to fix them, instead of running quietly
broken (a webhook lease shorter than a delivery's timeout delivers nothing, forever).

Each rule is a pure function of the settings (and of the couriers' call timeouts, which only
the loaded connectors know); ``serve``, ``worker`` and the application's start-up run them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from shiptrack.accounts.ratelimit import DEFAULT_LIMITS
from shiptrack.config import Settings
from shiptrack.config.webhooks import LEASE_MARGIN_SECONDS, WebhookSettings


class SettingsConflict(ValueError):
    """Settings that contradict each other; the message lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "shiptrack cannot start: the settings contradict each other.\n"
            + "\n".join(f"- {problem}" for problem in problems)
        )


@dataclass(frozen=True, slots=True)
class CourierCall:
    """How long one call to a courier source may take, and the setting that says so."""

    source: str
    seconds: float
    variable: str
    #: Calls a check may chain (an OAuth token, then the tracking call): 2 for carrier APIs,
    #: 1 for the sandbox, whose wait is its simulated latency.
    calls: int = 2


def webhook_lease(hooks: WebhookSettings) -> list[str]:
    """A claimed message is sent only while its lease outlasts the delivery's timeout plus a
    margin, and it may first wait for a sending slot about as long as a delivery takes."""
    least = 2 * hooks.timeout_seconds + LEASE_MARGIN_SECONDS
    if hooks.lease_seconds >= least:
        return []
    return [
        f"SHIPTRACK_WEBHOOK_LEASE_SECONDS={hooks.lease_seconds:g} is too short for "
        f"SHIPTRACK_WEBHOOK_TIMEOUT_SECONDS={hooks.timeout_seconds:g}: a claimed message is "
        "sent only while its lease outlasts the delivery's timeout, so nothing would be "
        f"delivered. Set SHIPTRACK_WEBHOOK_LEASE_SECONDS to at least {least:g} "
        f"(2 × timeout + {LEASE_MARGIN_SECONDS:g} s) or lower SHIPTRACK_WEBHOOK_TIMEOUT_SECONDS."
    ]


def engine_lease(settings: Settings, couriers: list[CourierCall]) -> list[str]:
    """A tracker's lease must outlast its courier calls: a refresh that ends after its lease
    was lost stores nothing, so a courier slower than the lease is never heard."""
    problems = []
    for courier in couriers:
        least = courier.calls * courier.seconds
        if settings.engine_lease_seconds > least:
            continue
        times = f"{courier.calls} × " if courier.calls > 1 else ""
        problems.append(
            f"SHIPTRACK_ENGINE_LEASE_SECONDS={settings.engine_lease_seconds:g} does not outlast "
            f"{courier.variable}={courier.seconds:g} (courier source {courier.source}): a "
            "check that outlives its lease stores nothing. Set SHIPTRACK_ENGINE_LEASE_SECONDS "
            f"above {least:g} ({times}{courier.variable}) or lower {courier.variable}."
        )
    return problems


def pool_for_engine(settings: Settings, *, engine_runs: bool) -> list[str]:
    """On PostgreSQL each refresh batch in flight holds a connection while it stores; a
    process opens at most 2 × pool size (the pool plus as many again for bursts)."""
    if not engine_runs or not settings.database_url.startswith(("postgresql", "postgres:")):
        return []
    most = 2 * settings.database_pool_size
    if settings.engine_concurrency <= most:
        return []
    return [
        f"SHIPTRACK_ENGINE_CONCURRENCY={settings.engine_concurrency} exceeds the "
        f"{most} PostgreSQL connections a process may open (2 × "
        f"SHIPTRACK_DATABASE_POOL_SIZE={settings.database_pool_size}): batches would wait for "
        "a connection and fail after 30 s. Raise SHIPTRACK_DATABASE_POOL_SIZE to at least "
        f"{(settings.engine_concurrency + 1) // 2} or lower SHIPTRACK_ENGINE_CONCURRENCY."
    ]


def rate_limit_overrides(settings: Settings) -> list[str]:
    """An override for an endpoint that does not exist would be ignored without a word."""
    problems = []
    for name, value in sorted(settings.rate_limit_overrides.items()):
        if name not in DEFAULT_LIMITS:
            problems.append(
                f"SHIPTRACK_RATE_LIMIT_OVERRIDES names {name!r}, which is no endpoint; the "
                f"names are: {', '.join(sorted(DEFAULT_LIMITS))}."
            )
        elif value < 1:
            problems.append(
                f"SHIPTRACK_RATE_LIMIT_OVERRIDES gives {name!r} {value!r} requests per second; "
                "give at least 1 (turn limits off with SHIPTRACK_RATE_LIMITS_ENABLED=false)."
            )
    return problems


def trusted_proxies(settings: Settings) -> list[str]:
    """The server would take a malformed entry for a literal host name and trust nothing
    (or the wrong peer) without a word."""
    problems = []
    for entry in (e.strip() for e in settings.forwarded_allow_ips.split(",")):
        if not entry or entry == "*":
            continue
        try:
            # As strict as the server: a network with host bits set counts as a name there.
            ipaddress.ip_network(entry) if "/" in entry else ipaddress.ip_address(entry)
        except ValueError:
            problems.append(
                f"SHIPTRACK_FORWARDED_ALLOW_IPS holds {entry!r}, which is neither an IP "
                "address nor a network (without host bits); list the reverse proxies' "
                "addresses, e.g. '10.0.0.5,10.1.0.0/16'."
            )
    return problems


def upstream_settings() -> list[str]:
    """An upstream whose settings do not hold (``…_RATE_LIMITS`` naming an endpoint the
    provider does not have, a negative rate, ``…_MAX_IN_FLIGHT`` 0) would be left out of the
    connectors with nothing but a log line."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from shiptrack.couriers.connectors.carrier_settings import UpstreamSettings
    from shiptrack.couriers.sources import installed_sources

    installed_sources()  # every provider's settings class, imported
    problems = []
    for settings_class in _every_subclass(UpstreamSettings):
        prefix = str(settings_class.model_config.get("env_prefix") or "")
        if not prefix:
            continue
        try:
            settings_class()
        except SettingsError as exc:
            field = str(exc).split('"')[1].upper() if '"' in str(exc) else "*"
            problems.append(
                f"{prefix}{field} cannot be read ({exc}); give JSON for a table, e.g. "
                f"{prefix}RATE_LIMITS='{{\"list\": 12}}'."
            )
        except ValidationError as exc:
            for error in exc.errors():
                message = str(error["msg"]).removeprefix("Value error, ")
                if not message.startswith(prefix):
                    field = ".".join(str(part) for part in error["loc"]).upper()
                    message = f"{prefix}{field}={error.get('input')!r}: {message}"
                problems.append(message + ".")
    return problems


def _every_subclass(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_every_subclass(sub)]
    return found


def conflicts(
    settings: Settings,
    hooks: WebhookSettings,
    couriers: list[CourierCall] | None = None,
    *,
    engine_runs: bool = True,
) -> list[str]:
    """Every problem with these settings together (empty: they can work)."""
    return [
        *trusted_proxies(settings),
        *rate_limit_overrides(settings),
        *upstream_settings(),
        *pool_for_engine(settings, engine_runs=engine_runs),
        *(engine_lease(settings, couriers or []) if engine_runs else []),
        *(webhook_lease(hooks) if hooks.dispatcher_enabled else []),
    ]


def check(
    settings: Settings,
    hooks: WebhookSettings,
    couriers: list[CourierCall] | None = None,
    *,
    engine_runs: bool = True,
) -> None:
    """Raise ``SettingsConflict`` listing every problem, if any."""
    problems = conflicts(settings, hooks, couriers, engine_runs=engine_runs)
    if problems:
        raise SettingsConflict(problems)


def courier_calls(settings: Settings, timeouts: Mapping[str, float]) -> list[CourierCall]:
    """The couriers to check the engine lease against: each loaded carrier connector's call
    timeout (``timeouts``: source code → seconds; the sandbox's is replaced by its latency)."""
    calls = [
        CourierCall(source, seconds, f"SHIPTRACK_{_carrier_prefix(source)}_TIMEOUT")
        for source, seconds in sorted(timeouts.items())
        if source != "sandbox"
    ]
    if "sandbox" in timeouts and settings.sandbox_latency > 0:
        calls.append(
            CourierCall("sandbox", settings.sandbox_latency, "SHIPTRACK_SANDBOX_LATENCY", 1)
        )
    return calls


def _carrier_prefix(source: str) -> str:
    """``ups-tracking`` → ``UPS``: a carrier's settings prefix from its source code."""
    return source.split("-", 1)[0].upper()
