"""Webhook test fixtures: loopback allowed, the webhook routes mounted, a live receiver."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from starlette.routing import Route

from shiptrack.api.routing import starlette_routes
from shiptrack.app import PREFIXES, create_app
from shiptrack.config import Settings
from shiptrack.webhooks.endpoints.api import router

if "webhook_helpers" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "webhook_helpers", Path(__file__).with_name("helpers.py")
    )
    assert _spec is not None
    assert _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["webhook_helpers"] = _module
    _spec.loader.exec_module(_module)

from webhook_helpers import Receiver


@pytest.fixture(autouse=True)
def _loopback_webhooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Receivers live on 127.0.0.1: allow it (SSRF checks refuse loopback by default). The
    app's own background dispatcher stays off: tests drive their dispatchers explicitly."""
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_DISPATCHER_ENABLED", "false")


def webhook_routes() -> list[Route]:
    """The webhook router's routes under both prefixes, as full paths: they go before the
    app's own mounts, so these tests run whether or not app.py registers the router yet."""
    return [
        Route(prefix + route.path, route.endpoint, methods=sorted(route.methods or ()))
        for prefix in PREFIXES
        for route in starlette_routes(router.operations)
    ]


@pytest.fixture
async def app(database_url: str, settings_overrides: dict[str, object]) -> AsyncIterator[object]:
    values: dict[str, object] = {"database_url": database_url, "rate_limits_enabled": False}
    values.update(settings_overrides)
    application = create_app(
        Settings(_env_file=None, **values),  # type: ignore[call-arg]
        extra_routes=webhook_routes(),
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    live = await Receiver().start()
    yield live
    await live.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client
