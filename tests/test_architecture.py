"""The layers of docs/architecture.md hold: ``lint-imports`` keeps every contract of
pyproject.toml (layers, the trackers interface, the pure floor, no cycles)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    found = Path(sys.executable).with_name("lint-imports")
    return str(found) if found.exists() else (shutil.which("lint-imports") or "lint-imports")


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [_lint_imports(), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout, result.stdout


def test_the_contracts_ignore_no_import() -> None:
    """No upward import and no cycle is excused by name (decision 13 tells how the last ones
    were paid): a new one fails ``lint-imports`` instead of joining a list."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    ignored = {
        line
        for contract in config["tool"]["importlinter"]["contracts"]
        for line in contract.get("ignore_imports", ())
    }
    assert ignored == set()
