"""Documentation generated from the code stays in step with it."""

from __future__ import annotations

from pathlib import Path

from shiptrack.config import settings_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_configuration_doc_lists_every_setting_as_in_the_code():
    text = (DOCS / "configuration.md").read_text()
    assert settings_markdown() in text, (
        "docs/configuration.md is out of date: regenerate its table with "
        "shiptrack.config.settings_markdown()"
    )
