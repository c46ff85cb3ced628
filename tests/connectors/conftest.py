"""Shared fixtures of the carrier connector tests, and the shared test modules they import.

``connector_helpers.py`` and ``oauth_carrier_tests.py`` are imported under those names, with
pytest's assertion rewriting: pytest's importlib mode does not put test directories on
``sys.path``, so this directory is on it only while they are imported.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

SHARED_MODULES = ("connector_helpers", "oauth_carrier_tests")

pytest.register_assert_rewrite(*SHARED_MODULES)
_HERE = str(Path(__file__).resolve().parent)
sys.path.insert(0, _HERE)
try:
    for _name in SHARED_MODULES:
        importlib.import_module(_name)
finally:
    sys.path.remove(_HERE)


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
