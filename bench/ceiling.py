"""The benchmark's ceiling: shiptrack's own app plus one bare endpoint doing a primary-key read.

Same framework, middleware and database handle; no auth, no business logic. Served by
``bench/api.py`` as ``uvicorn bench.ceiling:create_app --factory``.
"""

from __future__ import annotations

import orjson
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shiptrack.app import create_app as create_shiptrack_app
QUERY = text("SELECT id, tracking_number FROM trackers WHERE id = :id")


async def ceiling(request: Request) -> Response:
    tracker_id = request.path_params["tracker_id"]
    async with request.app.state.db.read() as conn:
        row = (await conn.execute(QUERY, {"id": tracker_id})).first()
    if row is None:
        return Response(b'{"data":null}', 404, media_type="application/json")
    body = orjson.dumps({"data": {"id": row.id, "trackingNumber": row.tracking_number}})
    return Response(body, media_type="application/json")


def create_app() -> Starlette:
    return create_shiptrack_app(extra_routes=[Route("/ceiling/{tracker_id}", ceiling)])
