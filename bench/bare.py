"""The bare-stack ceiling: a minimal Starlette app on uvicorn reading one ~1 KB row by primary key.

None of shiptrack's code runs per request: no middleware, no authentication, one route, one
``SELECT body FROM rows WHERE id = ?`` on the stdlib ``sqlite3`` module (on the event loop,
as shiptrack's SQLite reads are), the stored bytes answered as they are. It is what the stack
shiptrack chose (Starlette, uvicorn with uvloop and httptools, SQLite) can serve at most on a
machine; ``bench/api.py`` measures shiptrack's ``GET /trackers/{id}/results`` against it in
the same run, with the same workers and connections.

    python -m bench.bare fill DB IDS_FILE COUNT   # the ids of IDS_FILE, then made-up ones
    python -m bench.bare serve DB PORT WORKERS    # a listening socket per worker

Served by ``shiptrack.serving``'s supervisor (a ``SO_REUSEPORT`` socket per worker) with
uvicorn's own ``httptools`` protocol, so the server side matches shiptrack's but for its app.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

#: The size of each row's body: about a tracker's results with a few events.
ROW_BYTES = 1024


def fill(database: str, ids_file: str, count: int) -> None:
    """A table of ``count`` rows of ~1 KB keyed by id: the ids listed in ``ids_file`` (the
    ones the load generator asks for) and made-up ones up to ``count``."""
    ids = Path(ids_file).read_text().split()
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, body BLOB NOT NULL)")

    def body(row_id: str) -> bytes:
        head = b'{"data":{"id":"' + row_id.encode() + b'","padding":"'
        return head + b"x" * (ROW_BYTES - len(head) - 4) + b'"}}'

    def rows() -> Any:
        for row_id in ids:
            yield row_id, body(row_id)
        for _ in range(max(0, count - len(ids))):
            row_id = str(uuid.uuid4())
            yield row_id, body(row_id)

    with conn:
        conn.executemany("INSERT OR IGNORE INTO rows VALUES (?, ?)", rows())
    conn.close()


def create_app() -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    conn = sqlite3.connect(os.environ["BARE_DATABASE"], check_same_thread=False)
    conn.execute("PRAGMA cache_size=-32000")

    async def read(request: Request) -> Response:
        row = conn.execute(
            "SELECT body FROM rows WHERE id = ?", (request.path_params["row_id"],)
        ).fetchone()
        if row is None:
            return Response(b'{"data":null}', 404, media_type="application/json")
        return Response(row[0], media_type="application/json")

    async def ready(request: Request) -> Response:
        return Response(b"ok")

    return Starlette(routes=[Route("/rows/{row_id}", read), Route("/readyz", ready)])


def main(argv: list[str]) -> None:
    if argv[0] == "fill":
        fill(argv[1], argv[2], int(argv[3]))
        return
    if argv[0] != "serve":
        raise SystemExit(__doc__)
    from shiptrack.serving import serve

    os.environ["BARE_DATABASE"] = argv[1]
    serve(
        "bench.bare:create_app",
        host="127.0.0.1",
        port=int(argv[2]),
        workers=int(argv[3]),
        http="httptools",
        loop="uvloop",
        access_log=False,
        log_level="warning",
        lifespan="off",
    )


if __name__ == "__main__":
    main(sys.argv[1:])
