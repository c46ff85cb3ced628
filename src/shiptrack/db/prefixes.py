"""Ids typed back as printed: the CLI shows ids shortened (``bb84c2c2…``); a unique prefix
stands for the whole id wherever the CLI takes one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select

from shiptrack.db.engine import Connection

#: Shorter prefixes are taken literally (as an exact id or name) only.
MIN_PREFIX = 4


class AmbiguousPrefix(LookupError):
    def __init__(self, ref: str, matches: list[str]) -> None:
        shown = ", ".join(matches[:3]) + (", …" if len(matches) > 3 else "")
        super().__init__(f"{ref!r} starts several ids ({shown}): type more of it")
        self.matches = matches


def clean(ref: str) -> str:
    """The reference without the ellipsis the CLI prints after a shortened id."""
    return ref.strip().removesuffix("…").removesuffix("...")


async def expand(
    conn: Connection, column: Any, ref: str, *where: ColumnElement[bool]
) -> str | None:
    """The one value of ``column`` (among rows matching ``where``) that starts with ``ref``;
    None when none does. Raises AmbiguousPrefix when several do."""
    ref = clean(ref)
    if len(ref) < MIN_PREFIX:
        return None
    rows = await conn.execute(
        select(column).where(column.startswith(ref, autoescape=True), *where).limit(4)
    )
    matches = [r[0] for r in rows]
    if len(matches) > 1:
        raise AmbiguousPrefix(ref, matches)
    return matches[0] if matches else None
