"""SQLite WAL checkpoints on a thread of their own, off the event loop.

In WAL mode SQLite copies the log back into the database file (a *checkpoint*) when a commit
leaves more than ``wal_autocheckpoint`` pages in the log (1,000 by default), and it does so
inside that commit. shiptrack runs SQLite on the event loop's thread (ADR 0003), so that
commit's checkpoint — megabytes of page copies and an ``fsync`` — stalled every request and
refresh of the process: the engine's first checks, which write ~2 MB per batch, spent 16–19%
of their time there and left the worker idle while it waited on the disk.

A long-running process (``serve``, ``worker``) therefore raises the connections' automatic
threshold to a backstop (``BACKSTOP_PAGES``, reached only if this thread falls far behind)
and runs ``PRAGMA wal_checkpoint(PASSIVE)`` every ``interval`` seconds on a connection of its
own in a daemon thread. ``sqlite3`` releases the GIL while SQLite works, so the event loop
keeps running meanwhile. A PASSIVE checkpoint never waits for readers or writers; several
processes checkpointing the same file take turns. ``journal_size_limit`` truncates the log
file back after it has been reset, so a burst does not leave a large file behind.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

log = logging.getLogger("shiptrack.db")

#: The connections' own checkpoint threshold while the thread runs (pages of 4 KiB: 64 MiB).
BACKSTOP_PAGES = 16_000
#: The size the log file is truncated to once a checkpoint has reset it.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024


class WalCheckpointer:
    """Checkpoint one SQLite file's WAL every ``interval`` seconds until ``stop()``."""

    def __init__(self, path: str, interval: float = 0.25) -> None:
        self.path = path
        self.interval = interval
        #: Frames copied into the database file so far (for tests and debugging).
        self.pages = 0
        self._last = (0, 0)
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="shiptrack-wal-checkpoint", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error:
            log.exception("wal checkpoint thread cannot open the database")
            return
        try:
            conn.execute("PRAGMA busy_timeout=0")
            while not self._stopping.wait(self.interval):
                self.checkpoint(conn)
        finally:
            conn.close()

    def checkpoint(self, conn: sqlite3.Connection) -> None:
        """One PASSIVE checkpoint; errors are logged, never raised (the next one retries)."""
        try:
            started = time.perf_counter()
            busy, logged, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:
            log.warning("wal checkpoint failed: %s", exc)
            return
        # The counts are of the current log: they grow until a writer resets it.
        previous_log, previous_copied = self._last
        new = copied - previous_copied if logged >= previous_log else copied
        self._last = (logged, copied)
        if new > 0:
            self.pages += new
            log.debug(
                "wal checkpoint",
                extra={
                    "pages": new,
                    "log_pages": logged,
                    "busy": busy,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
