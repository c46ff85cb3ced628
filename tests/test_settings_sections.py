"""One ``Settings`` with nested sections: the webhook section is read when the settings are
built, and ``create_app(settings)`` uses exactly that section, never the environment."""

from __future__ import annotations

from shiptrack.app import create_app, services_of
from shiptrack.config import Settings, webhook_settings
from shiptrack.config.webhooks import WebhookSettings


def test_the_webhook_section_keeps_its_environment_variables(monkeypatch) -> None:
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_GROUP_WINDOW_SECONDS", "42")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.webhook.group_window_seconds == 42
    assert webhook_settings(settings) is settings.webhook


async def test_create_app_uses_the_given_section_not_the_environment(
    monkeypatch, database_url
) -> None:
    given = WebhookSettings(_env_file=None, group_window_seconds=7)  # type: ignore[call-arg]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, webhook=given, engine_enabled=False
    )
    monkeypatch.setenv("SHIPTRACK_WEBHOOK_GROUP_WINDOW_SECONDS", "99")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert services_of(app).settings.webhook.group_window_seconds == 7
        assert services_of(app).dispatcher.settings.group_window_seconds == 7
