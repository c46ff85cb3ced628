"""Is the database's schema current? Answered without Alembic (whose import and start-up
cost ~0.2 s and print lines), so commands that find nothing to migrate start quickly and
quietly; ``db.migrate.upgrade`` runs only when a migration is due."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from shiptrack.db.engine import Database

VERSIONS = Path(__file__).with_name("migrations") / "versions"


@cache
def head_revision() -> str:
    """The newest migration's revision: migrations are numbered ``0001``, ``0002``, … in
    one line, each file named after its revision."""
    numbers = [
        match.group(1)
        for path in VERSIONS.glob("*.py")
        if (match := re.match(r"(\d{4})_", path.name))
    ]
    return max(numbers)


async def is_current(db: Database) -> bool:
    """True when the database is at the newest revision (False: empty, older, or unknown)."""
    try:
        async with db.read() as conn:
            rows = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return False
    return [r[0] for r in rows] == [head_revision()]
