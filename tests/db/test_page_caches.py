"""Each SQLite connection's page cache is bounded (issue 16: the API worker that served bulk
creates grew by its write connection's cache)."""

from __future__ import annotations

from shiptrack.db.engine import READER_CACHE_KIB, WRITER_CACHE_KIB, Database, RawQuery


async def test_write_read_and_hot_read_connections_keep_their_bounded_page_caches(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'caches.db'}")
    try:
        async with db.write() as conn:
            written = (await conn.exec_driver_sql("PRAGMA cache_size")).scalar_one()
        async with db.read() as conn:
            read = (await conn.exec_driver_sql("PRAGMA cache_size")).scalar_one()
        hot = await db.fetch_first(RawQuery.of("PRAGMA cache_size"), ())
    finally:
        await db.dispose()
    assert written == read == -WRITER_CACHE_KIB  # negative: KiB, not pages
    assert hot == (-READER_CACHE_KIB,)
    assert WRITER_CACHE_KIB <= 4000
