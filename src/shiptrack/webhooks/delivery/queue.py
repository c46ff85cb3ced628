"""All SQL of the message queue: the outbox writes (in the engine's transaction), claims,
outcomes, endpoint health and pruning. ``repository.py`` holds the rest (settings, resend,
history, the delivery log).

Hot statements are built once at import; SQLAlchemy caches their compiled form, and the
hottest writes go straight to the driver (below).

One module on purpose: the queue's statements are read together when a claim, an outcome or a
prune is changed, and the hot ones share the driver shortcut below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Integer,
    LargeBinary,
    Row,
    String,
    bindparam,
    delete,
    func,
    select,
    text,
    update,
)

from shiptrack.db.engine import Connection
from shiptrack.db.tables import accounts
from shiptrack.db.types import UTCDateTime
from shiptrack.db.webhook_tables import (
    webhook_attempts,
    webhook_endpoints,
    webhook_messages,
    webhook_payloads,
)
from shiptrack.webhooks.repository import DROPPED, PENDING, E, M, P

# --- hot writes through the driver ------------------------------------------------------------
#
# The outbox insert (the engine's hot path) and the dispatcher's outcome writes go straight to
# the driver's ``executemany``, inside the caller's transaction: SQLAlchemy's statement set-up
# and per-row parameter processing cost more than the database work (~60 µs per statement plus
# ~100 µs per row, against ~20 µs per row in SQLite, on a 2-core machine). Values are
# converted as SQLAlchemy stores them: SQLite keeps UTC timestamps as naive ISO text.


def _sqlite_connection(sync_conn: Any) -> Any:
    """The ``sqlite3.Connection`` under a synchronous SQLAlchemy connection."""
    return sync_conn.connection.driver_connection


def _sqlite_time(value: dt.datetime | None) -> str | None:
    """SQLAlchemy's SQLite storage format for a UTC timestamp: ``2026-01-02 03:04:05.000006``."""
    if value is None:
        return None
    if value.tzinfo is not dt.UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _pg_time(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value


class _DriverStatement:
    """One SQL statement written for both drivers: ``?`` placeholders (SQLite) are numbered
    ``$1…`` for asyncpg; ``times`` and ``flags`` name the positions holding datetimes and
    booleans."""

    __slots__ = ("flags", "postgres", "sqlite", "times")

    def __init__(self, sql: str, *, times: Sequence[int] = (), flags: Sequence[int] = ()) -> None:
        self.sqlite = sql
        parts = sql.split("?")
        self.postgres = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))
        self.times = tuple(times)
        self.flags = tuple(flags)

    async def executemany(self, conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
        """Run the statement once per row, in ``conn``'s transaction."""
        if not rows:
            return
        # SQLAlchemy's AsyncConnection (PostgreSQL), not imported: SQLite processes skip it.
        postgres = type(conn).__name__ == "AsyncConnection"
        convert_time: Any = _pg_time if postgres else _sqlite_time
        convert_flag: Any = bool if postgres else int
        sql = self.postgres if postgres else self.sqlite
        if self.times or self.flags:
            converted: list[Sequence[Any]] = []
            # A batch holds few distinct instants (an attempt's time is in 3–4 columns).
            times: dict[dt.datetime | None, Any] = {None: None}
            for row in rows:
                values = list(row)
                for i in self.times:
                    value = values[i]
                    done = times.get(value, times)
                    if done is times:
                        done = times[value] = convert_time(value)
                    values[i] = done
                for i in self.flags:
                    values[i] = convert_flag(values[i])
                converted.append(tuple(values))
            rows = converted
        if postgres:
            # Through SQLAlchemy's asyncpg adapter, which begins the transaction on first use
            # (asyncpg's own connection would run the statement outside it, in autocommit).
            await conn.exec_driver_sql(sql, list(rows))
        else:
            # ``Database.write`` issued BEGIN IMMEDIATE on this very connection.
            raw = await conn.run_sync(_sqlite_connection)
            raw.executemany(sql, rows)


_ENDPOINTS_FOR_SEND = select(
    E.account_id,
    E.url,
    E.secret,
    E.previous_secret,
    E.previous_secret_expires_at,
    E.enabled,
).where(E.account_id.in_(bindparam("account_ids", expanding=True)))


async def endpoints_for_send(conn: Connection, account_ids: Sequence[str]) -> dict[str, Row[Any]]:
    rows = await conn.execute(_ENDPOINTS_FOR_SEND, {"account_ids": list(account_ids)})
    return {r.account_id: r for r in rows}


# --- outbox (engine transaction) ------------------------------------------------------------

_OUTBOX_SETTINGS = text(
    "SELECT enabled, max_updates_per_message FROM webhook_endpoints WHERE account_id = :account_id"
).columns(enabled=Boolean(), max_updates_per_message=Integer())

MESSAGE_COLUMNS = (
    "id",
    "account_id",
    "tracker_id",
    "sequence",
    "topic",
    "event_count",
    "status",
    "attempts",
    "next_attempt_at",
    "group_until",
    "created_at",
)
_INSERT_MESSAGES = _DriverStatement(
    f"INSERT INTO webhook_messages ({', '.join(MESSAGE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in MESSAGE_COLUMNS)})",
    times=(8, 9, 10),
)
_INSERT_PAYLOADS = _DriverStatement("INSERT INTO webhook_payloads (message_id, body) VALUES (?, ?)")

_OPEN_GROUP = (
    text(
        "SELECT m.id, p.body, m.event_count, m.sequence, m.group_until "
        "FROM webhook_messages m JOIN webhook_payloads p ON p.message_id = m.id "
        "WHERE m.tracker_id = :tracker_id AND m.status = 'pending' AND m.attempts = 0 "
        "AND m.lease_until IS NULL AND m.group_until > :now "
        "ORDER BY m.sequence DESC LIMIT 1"
    )
    .bindparams(bindparam("now", type_=UTCDateTime()))
    .columns(body=LargeBinary(), group_until=UTCDateTime())
)

_GROW_GROUP = (
    update(webhook_messages)
    .where(
        M.id == bindparam("b_id"),
        M.status == PENDING,
        M.lease_until.is_(None),
        M.attempts == 0,
    )
    .values(
        event_count=bindparam("b_event_count"),
        sequence=bindparam("b_sequence"),
        next_attempt_at=bindparam("b_next"),
        group_until=bindparam("b_group_until"),
    )
)


async def outbox_settings(conn: Connection, account_id: str) -> Row[Any] | None:
    return (await conn.execute(_OUTBOX_SETTINGS, {"account_id": account_id})).first()


async def insert_messages(
    conn: Connection, rows: Sequence[Sequence[Any]], bodies: Sequence[tuple[str, bytes]]
) -> None:
    """Insert message rows (values in ``MESSAGE_COLUMNS`` order) and their bodies
    (``(message_id, body)``)."""
    if rows:
        await _INSERT_MESSAGES.executemany(conn, rows)
        await _INSERT_PAYLOADS.executemany(conn, bodies)


async def open_group(conn: Connection, tracker_id: str, now: dt.datetime) -> Row[Any] | None:
    return (await conn.execute(_OPEN_GROUP, {"tracker_id": tracker_id, "now": now})).first()


async def grow_group(conn: Connection, values: dict[str, Any], body: bytes) -> bool:
    """Give an open grouped message more events; False if a dispatcher took it meanwhile."""
    if not (await conn.execute(_GROW_GROUP, values)).rowcount:
        return False
    await conn.execute(
        update(webhook_payloads).where(P.message_id == values["b_id"]).values(body=body)
    )
    return True


async def close_groups(conn: Connection, account_id: str, now: dt.datetime) -> int:
    """Make the account's open grouped messages due now (their grouping setting changed)."""
    result = await conn.execute(
        update(webhook_messages)
        .where(
            M.account_id == account_id,
            M.status == PENDING,
            M.group_until.is_not(None),
            M.attempts == 0,
        )
        .values(group_until=None, next_attempt_at=now)
    )
    return int(result.rowcount)


async def drop_pending(
    conn: Connection,
    *,
    reason: str,
    now: dt.datetime,
    tracker_id: str | None = None,
    account_id: str | None = None,
) -> int:
    query = update(webhook_messages).where(M.status == PENDING)
    if tracker_id is not None:
        query = query.where(M.tracker_id == tracker_id)
    if account_id is not None:
        query = query.where(M.account_id == account_id)
    result = await conn.execute(
        query.values(
            status=DROPPED,
            drop_reason=reason[:60],
            finished_at=now,
            group_until=None,
            lease_until=None,
            lease_owner=None,
            lease_token=None,
        )
    )
    return int(result.rowcount)


# --- dispatcher ---------------------------------------------------------------------------

_DUE_EXISTS = text(
    "SELECT 1 FROM webhook_messages WHERE status = 'pending' AND next_attempt_at <= :now LIMIT 1"
).bindparams(bindparam("now", type_=UTCDateTime()))

_CLAIM = """
UPDATE webhook_messages
SET lease_until = :lease_until, lease_owner = :owner, lease_token = :token
WHERE id IN (
    SELECT m.id FROM webhook_messages m
    JOIN webhook_endpoints e ON e.account_id = m.account_id
    WHERE m.status = 'pending' AND m.next_attempt_at <= :now
      AND m.next_attempt_at <= :window_end
      AND (m.lease_until IS NULL OR m.lease_until < :now)
      AND e.enabled
      AND m.account_id NOT IN :saturated
      AND NOT EXISTS (
          SELECT 1 FROM webhook_messages p
          WHERE p.tracker_id = m.tracker_id AND p.status = 'pending'
            AND p.sequence < m.sequence
      )
    ORDER BY m.next_attempt_at
    LIMIT :limit
    {lock}
)
RETURNING id, account_id, tracker_id, sequence, attempts, created_at,
    (SELECT body FROM webhook_payloads WHERE message_id = webhook_messages.id) AS body
"""


def _claim_statement(lock: str) -> Any:
    return (
        text(_CLAIM.format(lock=lock))
        .bindparams(
            bindparam("now", type_=UTCDateTime()),
            bindparam("window_end", type_=UTCDateTime()),
            bindparam("lease_until", type_=UTCDateTime()),
            bindparam("saturated", expanding=True, type_=String()),
        )
        .columns(body=LargeBinary(), created_at=UTCDateTime())
    )


_CLAIM_SQLITE = _claim_statement("")
# SKIP LOCKED: concurrent dispatchers on PostgreSQL take disjoint rows without waiting.
_CLAIM_POSTGRES = _claim_statement("FOR UPDATE OF m SKIP LOCKED")


_WINDOW_END = (
    text(
        "SELECT next_attempt_at FROM webhook_messages "
        "WHERE status = 'pending' AND next_attempt_at <= :now "
        "ORDER BY next_attempt_at LIMIT 1 OFFSET :window"
    )
    .bindparams(bindparam("now", type_=UTCDateTime()))
    .columns(next_attempt_at=UTCDateTime())
)


async def due_exists(conn: Connection, now: dt.datetime) -> bool:
    return (await conn.execute(_DUE_EXISTS, {"now": now})).first() is not None


async def window_end(conn: Connection, now: dt.datetime, window: int) -> dt.datetime:
    """The due time of the ``window``-th oldest due message (``now`` if fewer are due): a
    claim looks no further, whatever it skips (an index-only walk of ``window`` entries)."""
    row = (await conn.execute(_WINDOW_END, {"now": now, "window": window})).first()
    return row.next_attempt_at if row is not None else now


async def claim(
    conn: Connection,
    *,
    postgres: bool,
    now: dt.datetime,
    lease_until: dt.datetime,
    owner: str,
    token: str,
    limit: int,
    saturated: Sequence[str] = (),
    window: int | None = None,
) -> list[Row[Any]]:
    """Lease up to ``limit`` due messages whose endpoint is enabled and whose tracker has no
    earlier pending message (so a tracker's messages go out one at a time, in order).

    ``saturated`` accounts are skipped (this dispatcher has enough of theirs in hand); with
    them, the scan stops after the ``window`` oldest due messages, so a big backlog of a
    skipped account costs a bounded walk, not a full scan, per claim.
    """
    statement = _CLAIM_POSTGRES if postgres else _CLAIM_SQLITE
    end = now
    if saturated and window is not None:
        end = await window_end(conn, now, window)
    params = {
        "now": now,
        "window_end": end,
        "lease_until": lease_until,
        "owner": owner,
        "token": token,
        "limit": limit,
        # Never empty: an empty NOT IN renders differently per engine; no account id is "".
        "saturated": list(saturated) or [""],
    }
    return list(await conn.execute(statement, params))


#: One statement for every outcome (executemany): delivered, retry later, or given up.
#: Parameters: status, next_attempt_at, at, ok, status_code, error, response body, response
#: headers, at (delivered_at if ok), at (last_failed_at unless ok), finished_at, id, token.
_RECORD_OUTCOME = _DriverStatement(
    "UPDATE webhook_messages SET status = ?, attempts = attempts + 1, next_attempt_at = ?, "
    "lease_until = NULL, lease_owner = NULL, lease_token = NULL, last_attempt_at = ?, "
    "last_outcome = CASE WHEN ? THEN 'success' ELSE 'failed' END, last_status_code = ?, "
    "last_error = ?, last_response_body = ?, last_response_headers = ?, "
    "delivered_at = COALESCE(?, delivered_at), last_failed_at = COALESCE(?, last_failed_at), "
    "finished_at = ? WHERE id = ? AND lease_token = ?",
    times=(1, 2, 8, 9, 10),
    flags=(3,),
)

_RELEASE = (
    update(webhook_messages)
    .where(M.id == bindparam("b_id"), M.lease_token == bindparam("b_token"))
    .values(lease_until=None, lease_owner=None, lease_token=None)
)

ATTEMPT_COLUMNS = (
    "message_id",
    "account_id",
    "attempt",
    "at",
    "duration_ms",
    "outcome",
    "status_code",
    "error",
    "response_body",
    "dispatcher",
)
_INSERT_ATTEMPTS = _DriverStatement(
    f"INSERT INTO webhook_attempts ({', '.join(ATTEMPT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in ATTEMPT_COLUMNS)})",
    times=(3,),
)

_ENDPOINT_SUCCEEDED = (
    update(webhook_endpoints)
    .where(E.account_id == bindparam("b_account_id"))
    .values(
        last_success_at=bindparam("b_success_at"),
        failing_since=bindparam("b_failing_since"),
        last_failure_at=func.coalesce(
            bindparam("b_failure_at", type_=UTCDateTime()), E.last_failure_at
        ),
    )
)

_ENDPOINT_FAILED = (
    update(webhook_endpoints)
    .where(E.account_id == bindparam("b_account_id"))
    .values(
        last_failure_at=bindparam("b_failure_at"),
        failing_since=func.coalesce(
            E.failing_since, bindparam("b_failing_since", type_=UTCDateTime())
        ),
    )
)


async def record_outcomes(conn: Connection, outcomes: Sequence[Sequence[Any]]) -> None:
    """Apply attempt outcomes (tuples in ``_RECORD_OUTCOME``'s parameter order)."""
    await _RECORD_OUTCOME.executemany(conn, outcomes)


async def release(conn: Connection, claims: Sequence[dict[str, Any]]) -> None:
    if claims:
        await conn.execute(_RELEASE, list(claims))


async def release_owner(conn: Connection, owner: str) -> int:
    result = await conn.execute(
        update(webhook_messages)
        .where(M.lease_owner == owner, M.status == PENDING)
        .values(lease_until=None, lease_owner=None, lease_token=None)
    )
    return int(result.rowcount)


async def insert_attempts(conn: Connection, attempts: Sequence[Sequence[Any]]) -> None:
    """Log attempts (tuples in ``ATTEMPT_COLUMNS`` order)."""
    await _INSERT_ATTEMPTS.executemany(conn, attempts)


async def endpoint_succeeded(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(_ENDPOINT_SUCCEEDED, list(rows))


async def endpoint_failed(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(_ENDPOINT_FAILED, list(rows))


async def disable_endpoint(
    conn: Connection,
    account_id: str,
    *,
    reason: str,
    now: dt.datetime,
    failing_before: dt.datetime | None = None,
) -> bool:
    """Disable an enabled endpoint (only if failing since ``failing_before``, when given)."""
    query = update(webhook_endpoints).where(E.account_id == account_id, E.enabled.is_(True))
    if failing_before is not None:
        query = query.where(E.failing_since <= failing_before)
    result = await conn.execute(
        query.values(enabled=False, disabled_reason=reason, disabled_at=now, updated_at=now)
    )
    return bool(result.rowcount)


async def prune(conn: Connection, before: dt.datetime, limit: int) -> int:
    """Delete up to ``limit`` finished messages created before ``before``, with their
    attempts (walking each account's ``(account_id, created_at)`` index)."""
    ids: list[str] = []
    for (account_id,) in await conn.execute(select(accounts.c.id)):
        rows = await conn.execute(
            select(M.id)
            .where(M.account_id == account_id, M.created_at < before, M.status != PENDING)
            .limit(limit - len(ids))
        )
        ids.extend(r.id for r in rows)
        if len(ids) >= limit:
            break
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        await conn.execute(delete(webhook_attempts).where(webhook_attempts.c.message_id.in_(chunk)))
        await conn.execute(delete(webhook_payloads).where(P.message_id.in_(chunk)))
        await conn.execute(delete(webhook_messages).where(M.id.in_(chunk)))
    return len(ids)
