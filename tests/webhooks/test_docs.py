"""docs/webhooks.md documents every webhook setting, with its default."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiptrack.config.webhooks import WebhookSettings

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def _default(name: str) -> str:
    field = WebhookSettings.model_fields[name]
    value = field.default_factory() if field.default_factory else field.default  # type: ignore[call-arg]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value) or "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@pytest.mark.parametrize("name", sorted(WebhookSettings.model_fields))
def test_every_setting_is_documented_with_its_default(name):
    rows = [line for line in DOC.read_text().splitlines() if line.startswith("| `SHIPTRACK_")]
    variable = f"`SHIPTRACK_WEBHOOK_{name.upper()}`"
    (row,) = [r for r in rows if r.startswith(f"| {variable} ")]
    assert f"`{_default(name)}`" in row or _default(name) in row, row
