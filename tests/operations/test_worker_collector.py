"""``shiptrack worker`` settles the garbage collector once started, and a ``serve`` worker that
runs the engine collects as rarely (decision 26)."""

from __future__ import annotations

import gc

import pytest

from shiptrack import logs
from shiptrack.collector import GC_FIRST_THRESHOLD, settle_collector
from shiptrack.config import get_settings
from shiptrack.serving import served_app


def test_settling_freezes_start_up_objects_and_raises_the_first_threshold():
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        kept = [object() for _ in range(10)], {"a": [1, 2]}  # a container start-up made
        settle_collector()
        assert gc.get_freeze_count() > 0
        threshold = gc.get_threshold()
        assert threshold == (GC_FIRST_THRESHOLD, before[1], before[2])
        # Out of the collector's sight: no collection walks it any more.
        assert not any(o is kept for o in gc.get_objects())
        # Garbage made afterwards is still collected.
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


@pytest.mark.parametrize(("engine", "first"), [("true", GC_FIRST_THRESHOLD), ("false", 700)])
def test_a_serve_worker_running_the_engine_raises_the_first_threshold(
    monkeypatch, tmp_path, engine, first
):
    before = gc.get_threshold()
    monkeypatch.setenv("SHIPTRACK_DATABASE_URL", f"sqlite:///{tmp_path / 'shiptrack.db'}")
    monkeypatch.setenv("SHIPTRACK_ENGINE_ENABLED", engine)
    monkeypatch.setattr(logs, "configure_from", lambda _settings: None)  # the test's own logs
    get_settings.cache_clear()
    try:
        gc.set_threshold(700, before[1], before[2])
        served_app()
        assert gc.get_threshold() == (first, before[1], before[2])
    finally:
        gc.set_threshold(*before)
        get_settings.cache_clear()
