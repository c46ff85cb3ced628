"""``shiptrack webhooks`` by its historical import path.

The command lives with the other commands in ``shiptrack.cli.webhooks``. This alias keeps
``from shiptrack.webhooks.cli import webhooks_app`` working for callers (the webhook tests
among them); it is the one import from a feature up to the entry points, declared in the
import-linter contracts of pyproject.toml. Nothing inside shiptrack imports it.
"""

from shiptrack.cli.webhooks import cli_message, webhooks_app

__all__ = ["cli_message", "webhooks_app"]
