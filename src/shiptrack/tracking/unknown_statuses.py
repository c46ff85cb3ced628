"""The feedback loop: raw carrier texts seen here that no normaliser rule explained."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from shiptrack.db.engine import Database
from shiptrack.tracking import repository


async def unknown_statuses(db: Database, *, limit: int = 50) -> list[Row[Any]]:
    """``(courier_code, carrier_status_code, status, count, last_seen)``, most frequent first."""
    async with db.read() as conn:
        return await repository.unmatched_texts(conn, limit)
