"""Settings checked against each other at start: unit rules, and the processes refusing to
start with a message that names the variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shiptrack.app import create_app
from shiptrack.config import Settings
from shiptrack.config.webhooks import WebhookSettings
from shiptrack.config_checks import (
    CourierCall,
    SettingsConflict,
    check,
    conflicts,
    courier_calls,
)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def hooks(**values: object) -> WebhookSettings:
    return WebhookSettings(_env_file=None, **values)  # type: ignore[call-arg]


PG = "postgresql://postgres@127.0.0.1:5432/x"


def test_defaults_are_consistent_on_both_databases():
    assert conflicts(settings(), hooks(), courier_calls(settings(), TIMEOUTS)) == []
    assert conflicts(settings(database_url=PG), hooks(), courier_calls(settings(), TIMEOUTS)) == []


TIMEOUTS = {"sandbox": 20.0, "ups-tracking": 20.0, "dhl-tracking": 20.0}


@pytest.mark.parametrize(
    ("lease", "timeout", "refused"),
    [(5, 3, True), (7.9, 3, True), (8, 3, False), (120, 15, False), (31.9, 15, True)],
)
def test_webhook_lease_must_outlast_twice_the_timeout_and_the_margin(lease, timeout, refused):
    problems = conflicts(settings(), hooks(lease_seconds=lease, timeout_seconds=timeout))
    assert bool(problems) is refused
    if refused:
        (problem,) = problems
        assert f"SHIPTRACK_WEBHOOK_LEASE_SECONDS={lease:g}" in problem
        assert f"SHIPTRACK_WEBHOOK_TIMEOUT_SECONDS={timeout:g}" in problem
        assert f"at least {2 * timeout + 2:g}" in problem


def test_webhook_lease_is_not_checked_where_no_dispatcher_runs():
    assert (
        conflicts(settings(), hooks(lease_seconds=5, timeout_seconds=3, dispatcher_enabled=False))
        == []
    )


@pytest.mark.parametrize(
    ("lease", "timeout", "refused"),
    [(40, 20, True), (40.5, 20, False), (39, 20, True), (120, 20, False), (120, 60, True)],
)
def test_engine_lease_must_outlast_a_carrier_check(lease, timeout, refused):
    calls = courier_calls(settings(), {"ups-tracking": timeout, "sandbox": 20.0})
    assert calls == [CourierCall("ups-tracking", timeout, "SHIPTRACK_UPS_TIMEOUT")]
    problems = conflicts(settings(engine_lease_seconds=lease), hooks(), calls)
    assert bool(problems) is refused
    if refused:
        (problem,) = problems
        assert f"SHIPTRACK_ENGINE_LEASE_SECONDS={lease:g}" in problem
        assert f"SHIPTRACK_UPS_TIMEOUT={timeout:g}" in problem
        assert f"above {2 * timeout:g}" in problem
    # Where no engine runs, the engine lease does not matter.
    assert conflicts(settings(engine_lease_seconds=lease), hooks(), calls, engine_runs=False) == []


def test_sandbox_latency_counts_once_against_the_engine_lease():
    calls = courier_calls(settings(sandbox_latency=2.0), {"sandbox": 20.0})
    assert calls == [CourierCall("sandbox", 2.0, "SHIPTRACK_SANDBOX_LATENCY", 1)]
    assert conflicts(settings(engine_lease_seconds=3), hooks(), calls) == []
    (problem,) = conflicts(settings(engine_lease_seconds=2), hooks(), calls)
    assert "SHIPTRACK_SANDBOX_LATENCY=2" in problem
    assert "above 2 (SHIPTRACK_SANDBOX_LATENCY)" in problem
    assert courier_calls(settings(sandbox_latency=0.0), {"sandbox": 20.0}) == []


@pytest.mark.parametrize(
    ("url", "pool", "concurrency", "refused"),
    [
        (PG, 10, 16, False),
        (PG, 8, 16, False),
        (PG, 7, 16, True),
        (PG, 2, 5, True),
        ("postgres://postgres@127.0.0.1/x", 2, 5, True),
        ("sqlite:///./x.db", 1, 64, False),
    ],
)
def test_postgres_pool_must_hold_the_engines_batches(url, pool, concurrency, refused):
    values = settings(database_url=url, database_pool_size=pool, engine_concurrency=concurrency)
    problems = conflicts(values, hooks())
    assert bool(problems) is refused
    if refused:
        (problem,) = problems
        assert f"SHIPTRACK_ENGINE_CONCURRENCY={concurrency}" in problem
        assert f"SHIPTRACK_DATABASE_POOL_SIZE={pool}" in problem
        assert f"at least {(concurrency + 1) // 2}" in problem
    assert conflicts(values, hooks(), engine_runs=False) == []


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"create_trackers": 5}, ["'create_trackers'", "which is no endpoint", "create_tracker,"]),
        ({"list_couriers": 0}, ["'list_couriers' 0", "at least 1"]),
        ({"list_couriers": -3}, ["'list_couriers' -3"]),
    ],
)
def test_rate_limit_overrides_name_real_endpoints_with_a_positive_limit(overrides, words):
    (problem,) = conflicts(settings(rate_limit_overrides=overrides), hooks())
    assert problem.startswith("SHIPTRACK_RATE_LIMIT_OVERRIDES")
    for word in words:
        assert word in problem


@pytest.mark.parametrize(
    ("value", "bad"),
    [
        ("127.0.0.1,::1", []),
        ("10.0.0.5, 10.1.0.0/16,2001:db8::/32", []),
        ("*", []),
        ("", []),
        ("proxy.internal", ["proxy.internal"]),
        ("10.0.0.1/16", ["10.0.0.1/16"]),
        ("10.0.0.5,10.0.0.300", ["10.0.0.300"]),
    ],
)
def test_trusted_proxies_are_addresses_or_networks(value, bad):
    problems = conflicts(settings(forwarded_allow_ips=value), hooks())
    assert len(problems) == len(bad)
    for problem, entry in zip(problems, bad, strict=True):
        assert f"SHIPTRACK_FORWARDED_ALLOW_IPS holds {entry!r}" in problem


def test_every_problem_is_listed_at_once():
    with pytest.raises(SettingsConflict) as exc:
        check(
            settings(rate_limit_overrides={"nope": 1}, engine_lease_seconds=10),
            hooks(lease_seconds=5, timeout_seconds=3),
            [CourierCall("dhl-tracking", 20.0, "SHIPTRACK_DHL_TIMEOUT")],
        )
    assert len(exc.value.problems) == 3
    text = str(exc.value)
    assert text.startswith("shiptrack cannot start")
    assert text.count("\n- ") == 3
    check(settings(), hooks())  # consistent: no error


async def test_the_application_refuses_to_start(tmp_path):
    app = create_app(
        settings(
            database_url=f"sqlite:///{tmp_path / 'x.db'}",
            rate_limit_overrides={"create_trackers": 5},
        )
    )
    with pytest.raises(SettingsConflict, match="create_trackers"):
        async with app.router.lifespan_context(app):
            pass


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SHIPTRACK_")} | {
        "SHIPTRACK_DATABASE_URL": f"sqlite:///{tmp_path / 'shiptrack.db'}",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "shiptrack", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_refuses_to_start_with_a_webhook_lease_shorter_than_its_timeout(tmp_path):
    result = _run(
        ["serve", "--port", "9"],
        tmp_path,
        SHIPTRACK_WEBHOOK_LEASE_SECONDS="5",
        SHIPTRACK_WEBHOOK_TIMEOUT_SECONDS="3",
    )
    assert result.returncode == 2, result.stderr
    assert "shiptrack cannot start" in result.stderr
    assert "SHIPTRACK_WEBHOOK_LEASE_SECONDS=5 is too short for" in result.stderr
    assert "SHIPTRACK_WEBHOOK_TIMEOUT_SECONDS=3" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "shiptrack.db").exists()  # refused before touching the database


def test_worker_refuses_a_lease_shorter_than_a_carriers_timeout(tmp_path):
    result = _run(
        ["worker"],
        tmp_path,
        SHIPTRACK_DHL_API_KEY="not-used",
        SHIPTRACK_DHL_TIMEOUT="100",
        SHIPTRACK_ENGINE_LEASE_SECONDS="120",
    )
    assert result.returncode == 2, result.stderr
    assert "SHIPTRACK_ENGINE_LEASE_SECONDS=120 does not outlast" in result.stderr
    assert "SHIPTRACK_DHL_TIMEOUT=100 (courier source dhl-tracking)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "shiptrack.db").exists()
