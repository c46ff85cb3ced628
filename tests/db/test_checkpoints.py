"""WAL checkpoints run on a thread of their own for long-running processes on SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from sqlalchemy import text

from shiptrack.db import checkpoints
from shiptrack.db.engine import Database


async def _write_rows(db: Database, rows: int) -> None:
    async with db.write() as conn:
        await conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS filler (id INTEGER, body TEXT)")
    for start in range(0, rows, 500):
        async with db.write() as conn:
            await conn.execute(
                text("INSERT INTO filler VALUES (:id, :body)"),
                [{"id": i, "body": "x" * 2000} for i in range(start, start + 500)],
            )


def _wal_pages(path: Path) -> int:
    """Frames in the log file: a 32-byte header, then a 24-byte header and a page per frame."""
    wal = path.with_name(path.name + "-wal")
    return (wal.stat().st_size - 32) // (24 + 4096) if wal.exists() else 0


async def test_a_thread_copies_the_log_back_and_commits_leave_it_alone(tmp_path):
    path = tmp_path / "shiptrack.db"
    db = Database(f"sqlite:///{path}", background_checkpoints=True)
    try:
        async with db.read() as conn:
            threshold = (await conn.exec_driver_sql("PRAGMA wal_autocheckpoint")).scalar()
            limit = (await conn.exec_driver_sql("PRAGMA journal_size_limit")).scalar()
        assert threshold == checkpoints.BACKSTOP_PAGES
        assert limit == checkpoints.JOURNAL_SIZE_LIMIT
        assert db._checkpointer is not None
        db._checkpointer.stop()  # only the explicit checkpoint below
        pages_before = db._checkpointer.pages
        # ~3,000 pages: past SQLite's default threshold (1,000), under the backstop.
        await _write_rows(db, 5000)
        before = _wal_pages(path)
        assert before > 1000  # no commit checkpointed and restarted the log
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            db._checkpointer.checkpoint(conn)
        finally:
            conn.close()
        assert db._checkpointer.pages - pages_before == before
        async with db.read() as conn:
            assert (await conn.exec_driver_sql("SELECT count(*) FROM filler")).scalar() == 5000
    finally:
        await db.dispose()


async def test_the_thread_keeps_the_log_from_growing(tmp_path):
    path = tmp_path / "shiptrack.db"
    db = Database(f"sqlite:///{path}", background_checkpoints=True)
    try:
        assert db._checkpointer is not None
        db._checkpointer.interval = 0.02
        for _ in range(4):
            await _write_rows(db, 2000)
            await asyncio.sleep(0.2)
        assert db._checkpointer.pages > 0
        # Four rounds of ~1,200 pages each: a log that was never reset would hold ~4,800.
        assert _wal_pages(path) < 3000
    finally:
        await db.dispose()
    assert not db._checkpointer._thread.is_alive()


async def test_short_lived_processes_keep_sqlites_own_checkpoints(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'shiptrack.db'}")
    try:
        assert db._checkpointer is None
        async with db.read() as conn:
            assert (await conn.exec_driver_sql("PRAGMA wal_autocheckpoint")).scalar() == 1000
    finally:
        await db.dispose()
