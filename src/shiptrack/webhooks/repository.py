"""SQL of webhook settings, resend, history and the delivery log. The message queue's SQL
(outbox writes, claims, outcomes) is in ``queue.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Row,
    delete,
    func,
    insert,
    select,
    update,
)

from shiptrack.db.engine import Connection
from shiptrack.db.webhook_tables import (
    webhook_attempts,
    webhook_endpoints,
    webhook_messages,
    webhook_payloads,
)

E = webhook_endpoints.c
M = webhook_messages.c
P = webhook_payloads.c

PENDING, DELIVERED, FAILED, DROPPED = "pending", "delivered", "failed", "dropped"


# --- endpoints --------------------------------------------------------------------------


async def get_endpoint(conn: Connection, account_id: str) -> Row[Any] | None:
    return (await conn.execute(select(webhook_endpoints).where(E.account_id == account_id))).first()


async def insert_endpoint(conn: Connection, values: dict[str, Any]) -> None:
    await conn.execute(insert(webhook_endpoints).values(**values))


async def update_endpoint(conn: Connection, account_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(webhook_endpoints).where(E.account_id == account_id).values(**values))


async def delete_endpoint(conn: Connection, account_id: str) -> bool:
    result = await conn.execute(delete(webhook_endpoints).where(E.account_id == account_id))
    return bool(result.rowcount)


# --- resend, history, delivery log -----------------------------------------------------------

_REQUEUE_VALUES = {
    "status": PENDING,
    "attempts": 0,
    "group_until": None,
    "lease_until": None,
    "lease_owner": None,
    "lease_token": None,
    "finished_at": None,
    "drop_reason": None,
}


async def requeue(
    conn: Connection,
    account_id: str,
    now: dt.datetime,
    *,
    tracker_id: str | None = None,
    message_id: str | None = None,
) -> int:
    """Put messages back in the queue, due now, with their original id and body."""
    query = update(webhook_messages).where(M.account_id == account_id)
    if tracker_id is not None:
        query = query.where(M.tracker_id == tracker_id)
    if message_id is not None:
        query = query.where(M.id == message_id)
    result = await conn.execute(query.values(next_attempt_at=now, **_REQUEUE_VALUES))
    return int(result.rowcount)


async def history(conn: Connection, tracker_id: str) -> list[Row[Any]]:
    """Messages of a tracker that were attempted at least once, most recent first."""
    rows = await conn.execute(
        select(
            M.id,
            P.body,
            M.last_outcome,
            M.last_attempt_at,
            M.last_status_code,
            M.last_response_body,
            M.last_response_headers,
            M.delivered_at,
            M.last_failed_at,
        )
        .select_from(webhook_messages.join(webhook_payloads, P.message_id == M.id))
        .where(M.tracker_id == tracker_id, M.last_outcome.is_not(None))
        .order_by(M.last_attempt_at.desc(), M.sequence.desc())
    )
    return list(rows)


_LOG_COLUMNS = (
    M.id,
    M.account_id,
    M.tracker_id,
    M.sequence,
    M.topic,
    M.event_count,
    M.status,
    M.attempts,
    M.next_attempt_at,
    M.created_at,
    M.last_attempt_at,
    M.last_outcome,
    M.last_status_code,
    M.last_error,
    M.delivered_at,
    M.finished_at,
    M.drop_reason,
)


async def list_messages(
    conn: Connection,
    account_id: str,
    *,
    tracker_id: str | None = None,
    status: str | None = None,
    limit: int = 100,
) -> list[Row[Any]]:
    query = select(*_LOG_COLUMNS).where(M.account_id == account_id)
    if tracker_id is not None:
        query = query.where(M.tracker_id == tracker_id).order_by(M.sequence.desc())
    else:
        query = query.order_by(M.created_at.desc(), M.sequence.desc())
    if status is not None:
        query = query.where(M.status == status)
    return list(await conn.execute(query.limit(limit)))


async def get_message(conn: Connection, account_id: str, message_id: str) -> Row[Any] | None:
    query = (
        select(*_LOG_COLUMNS, P.body)
        .select_from(webhook_messages.join(webhook_payloads, P.message_id == M.id))
        .where(M.account_id == account_id, M.id == message_id)
    )
    return (await conn.execute(query)).first()


async def attempts_of(conn: Connection, message_id: str) -> list[Row[Any]]:
    rows = await conn.execute(
        select(webhook_attempts)
        .where(webhook_attempts.c.message_id == message_id)
        .order_by(webhook_attempts.c.id)
    )
    return list(rows)


async def count_by_status(conn: Connection, account_id: str) -> dict[str, int]:
    rows = await conn.execute(
        select(M.status, func.count().label("n"))
        .where(M.account_id == account_id)
        .group_by(M.status)
    )
    return {r.status: int(r.n) for r in rows}
