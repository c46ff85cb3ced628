"""The benchmark's ceiling: shiptrack's own app plus one bare endpoint doing a primary-key read.

Same framework, middleware and database handle; no auth, no business logic. ``bench/api.py``
serves it with ``python -m bench.ceiling PORT WORKERS``, the way ``shiptrack serve`` serves
shiptrack (``shiptrack.serving``: a lean supervising process, a socket per worker).
Imports of the app stay inside ``create_app`` so the supervising process does not load them.
"""

from __future__ import annotations

import sys
from typing import Any


def create_app() -> Any:
    import orjson
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from shiptrack.api.services import services
    from shiptrack.app import create_app as create_shiptrack_app
    from shiptrack.db.engine import RawQuery

    # Read the way the results read is (``Database.fetch_first``: SQLite's own reader
    # connection, PostgreSQL's asyncpg read pool), so the ceiling is one on both databases.
    query = RawQuery.of("SELECT id, tracking_number FROM trackers WHERE id = ?")

    async def ceiling(request: Request) -> Response:
        tracker_id = request.path_params["tracker_id"]
        row = await services(request).db.fetch_first(query, (tracker_id,))
        if row is None:
            return Response(b'{"data":null}', 404, media_type="application/json")
        body = orjson.dumps({"data": {"id": row[0], "trackingNumber": row[1]}})
        return Response(body, media_type="application/json")

    return create_shiptrack_app(extra_routes=[Route("/ceiling/{tracker_id}", ceiling)])


if __name__ == "__main__":
    from shiptrack.serving import main

    port, workers = sys.argv[1], sys.argv[2]
    main(
        [
            "--app",
            "bench.ceiling:create_app",
            "--port",
            port,
            "--workers",
            workers,
            "--log-level",
            "warning",
        ]
    )
