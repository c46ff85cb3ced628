"""Documentation generated from the code stays in step with it."""

from __future__ import annotations

from pathlib import Path

from shiptrack.config import settings_markdown
from shiptrack.couriers.coverage import coverage_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_configuration_doc_lists_every_setting_as_in_the_code():
    text = (DOCS / "configuration.md").read_text()
    assert settings_markdown() in text, (
        "docs/configuration.md is out of date: regenerate its table with "
        "shiptrack.config.settings_markdown()"
    )


def test_coverage_doc_lists_every_source_and_courier_as_in_the_code():
    text = (DOCS / "coverage.md").read_text()
    assert coverage_markdown() in text, (
        "docs/coverage.md is out of date: regenerate its tables with "
        "shiptrack.couriers.coverage.coverage_markdown()"
    )
