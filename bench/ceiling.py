"""The benchmark's ceiling: shiptrack's own app plus one bare endpoint doing a primary-key read.

Same framework, same middleware, same database handle; no auth, no business logic. Served
by ``bench/api.py`` as ``uvicorn bench.ceiling:create_app --factory``.
"""

from __future__ import annotations

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import select

from shiptrack.app import create_app as create_shiptrack_app
from shiptrack.db.tables import trackers


def create_app() -> FastAPI:
    app = create_shiptrack_app()

    @app.get("/ceiling/{tracker_id}")
    async def ceiling(tracker_id: str, request: Request) -> Response:
        async with request.app.state.db.read() as conn:
            row = (await conn.execute(
                select(trackers.c.id, trackers.c.tracking_number).where(trackers.c.id == tracker_id)
            )).first()
        body = orjson.dumps({"data": {"id": row.id, "trackingNumber": row.tracking_number}})
        return Response(body, media_type="application/json")

    return app
