"""Make ``courier_numbers.py`` (the independent tracking-number generator) importable as
``courier_numbers``: pytest's importlib mode does not put test directories on ``sys.path``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if "courier_numbers" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "courier_numbers", Path(__file__).with_name("courier_numbers.py")
    )
    assert _spec is not None
    assert _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["courier_numbers"] = _module
    _spec.loader.exec_module(_module)
