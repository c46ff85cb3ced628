"""The webhook router as app.py mounts it (the other API tests mount it themselves).

Fails with 404 until ``shiptrack.webhooks.api.router`` is registered in ``app.operations()``,
and the dispatcher in the app's lifespan.
"""

from __future__ import annotations

import pytest

from shiptrack.app import create_app, operations, services_of
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
from shiptrack.webhooks.endpoints.api import router


def test_app_registers_the_webhook_operations():
    ids = {op.operation_id for op in operations()}
    assert {op.operation_id for op in router.operations} <= ids


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_app_lifespan_runs_a_dispatcher(database_url, monkeypatch):
    from shiptrack.config import Settings

    monkeypatch.setenv("SHIPTRACK_WEBHOOK_DISPATCHER_ENABLED", "true")
    app = create_app(Settings(_env_file=None, database_url=database_url))  # type: ignore[call-arg]
    async with app.router.lifespan_context(app):
        assert isinstance(services_of(app).dispatcher, WebhookDispatcher)
