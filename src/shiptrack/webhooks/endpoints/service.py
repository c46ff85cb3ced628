"""Webhook rules: an account's endpoint settings, resend, history, the delivery log, test send.

Shared by the API (``webhooks/endpoints/api.py``) and the CLI (``cli/webhooks.py``). Errors are
``ApiError``s with Ship24's envelope codes; the CLI prints their message.

One module on purpose: every rule here is a webhook rule both front ends (API and CLI) must
apply alike; SQL lives in ``repository.py`` and ``queue.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Row

from shiptrack.clock import format_timestamp, utcnow
from shiptrack.config.webhooks import WebhookSettings
from shiptrack.db.engine import Database
from shiptrack.errors import ApiError, tracker_not_found, validation_error
from shiptrack.trackers import repository as trackers_repository
from shiptrack.webhooks import repository
from shiptrack.webhooks.delivery import queue
from shiptrack.webhooks.delivery.http import AttemptResult, deliver, probe
from shiptrack.webhooks.delivery.payload import sample_body
from shiptrack.webhooks.safety import AddressPolicy, Resolver, UnsafeTarget, validate_url
from shiptrack.webhooks.signing import (
    active_secrets,
    generate_secret,
    secret_key,
    secret_preview,
)

MESSAGE_STATUSES = (
    repository.PENDING,
    repository.DELIVERED,
    repository.FAILED,
    repository.DROPPED,
)

if TYPE_CHECKING:
    import aiohttp


def webhook_missing() -> ApiError:
    return ApiError(
        404,
        "webhook_url_missing",
        "This account has no webhook. Set one with PUT /account/webhook "
        '{"url": "https://…"} (or `shiptrack webhooks set`).',
    )


def _resolver(settings: WebhookSettings) -> Resolver:
    return Resolver(AddressPolicy.from_settings(settings.allow_private, settings.allowed_networks))


@dataclass(frozen=True, slots=True)
class WebhookState:
    """An endpoint row, plus its secret when it was just created or rotated."""

    row: Row[Any]
    secret: str | None = None
    created: bool = False


def webhook_dict(state: WebhookState, settings: WebhookSettings) -> dict[str, Any]:
    """The account webhook resource, as the API answers it."""
    row = state.row
    now = utcnow()
    overlap = (
        row.previous_secret is not None
        and row.previous_secret_expires_at is not None
        and row.previous_secret_expires_at > now
    )
    body: dict[str, Any] = {
        "url": row.url,
        "maxUpdatesPerMessage": int(row.max_updates_per_message),
        "groupWindowSeconds": settings.group_window_seconds,
        "enabled": bool(row.enabled),
        "disabledReason": row.disabled_reason,
        "disabledAt": _ts(row.disabled_at),
        "notice": _notice(row, settings),
        "failingSince": _ts(row.failing_since),
        "lastSuccessfulPushAt": _ts(row.last_success_at),
        "lastFailedPushAt": _ts(row.last_failure_at),
        "secretPreview": secret_preview(row.secret),
        "previousSecretExpiresAt": _ts(row.previous_secret_expires_at) if overlap else None,
        "createdAt": _ts(row.created_at),
        "updatedAt": _ts(row.updated_at),
    }
    if state.secret is not None:
        body["secret"] = state.secret
    return body


def _ts(value: dt.datetime | None) -> str | None:
    return format_timestamp(value) if value is not None else None


def _notice(row: Row[Any], settings: WebhookSettings) -> str | None:
    if row.enabled:
        return None
    fix = (
        " Fix the receiver, then re-enable it with PUT /account/webhook "
        '{"url": …, "enabled": true}.'
    )
    if row.disabled_reason == "gone":
        return "Disabled: the receiver answered 410 Gone; pending messages wait." + fix
    if row.disabled_reason == "failing":
        return (
            f"Disabled: every delivery failed for {settings.disable_after_days:g} days; "
            "pending messages wait, new events are not queued." + fix
        )
    return "Disabled by the account; new events are not queued."


# --- settings -------------------------------------------------------------------------------


def _parse_settings(body: Any, settings: WebhookSettings) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise validation_error(
            'The body must be a JSON object such as {"url": "https://example.com/hooks", '
            '"maxUpdatesPerMessage": 1, "enabled": true}.'
        )
    if "url" not in body:
        raise ApiError(
            400,
            "missing_mandatory_field",
            'url is required: {"url": "https://example.com/hooks"}.',
        )
    try:
        url = str(validate_url(body["url"]))
    except UnsafeTarget as exc:
        raise validation_error(f"{exc}.") from None
    values: dict[str, Any] = {"url": url}
    limit = settings.max_updates_per_message_limit
    if body.get("maxUpdatesPerMessage") is not None:
        value = body["maxUpdatesPerMessage"]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            raise validation_error(
                f"maxUpdatesPerMessage must be a whole number from 1 (one event per message, "
                f"the default) to {limit}, not {value!r}."
            )
        values["max_updates_per_message"] = value
    if body.get("enabled") is not None:
        if not isinstance(body["enabled"], bool):
            raise validation_error(f"enabled must be true or false, not {body['enabled']!r}.")
        values["enabled"] = body["enabled"]
    return values


async def _check_target(
    session: aiohttp.ClientSession, settings: WebhookSettings, url: str, *, probe_url: bool
) -> None:
    resolver = _resolver(settings)
    if probe_url:
        problem = await probe(session, resolver, url, settings.timeout_seconds)
        if problem is not None:
            raise validation_error(
                f"The webhook URL was refused: {problem}. It must answer HEAD with a 2xx "
                "status (no body needed) before it can be saved; operators can turn this "
                "check off with SHIPTRACK_WEBHOOK_PROBE_ON_SAVE=false."
            )
        return
    from yarl import URL

    try:
        await resolver.target(URL(url))
    except UnsafeTarget as exc:
        if "cannot resolve" in str(exc) or "has no address" in str(exc):
            return  # checked again at every send
        raise validation_error(f"The webhook URL was refused: {exc}.") from None


async def get_webhook(db: Database, account_id: str) -> WebhookState:
    async with db.read() as conn:
        row = await repository.get_endpoint(conn, account_id)
    if row is None:
        raise webhook_missing()
    return WebhookState(row)


async def set_webhook(
    db: Database,
    session: aiohttp.ClientSession,
    settings: WebhookSettings,
    account_id: str,
    body: Any,
    *,
    probe_url: bool | None = None,
) -> WebhookState:
    """Create or update the account's webhook (``PUT /account/webhook``). A new URL (or an
    endpoint being enabled again) must pass the address policy, even when saved disabled, and
    is probed with HEAD first when enabled and ``probe_on_save`` is on."""
    values = _parse_settings(body, settings)
    async with db.read() as conn:
        current = await repository.get_endpoint(conn, account_id)
    enabling = values.get("enabled", True if current is None else bool(current.enabled))
    url_changed = current is None or current.url != values["url"]
    re_enabled = current is not None and not current.enabled and enabling
    should_probe = settings.probe_on_save if probe_url is None else probe_url
    if url_changed or re_enabled:
        # A URL saved disabled is checked against the address policy too (it is sent to
        # once enabled); only the HEAD probe waits until the webhook is enabled.
        await _check_target(session, settings, values["url"], probe_url=should_probe and enabling)
    now = utcnow()
    secret = None
    async with db.write() as conn:
        current = await repository.get_endpoint(conn, account_id)
        if current is None:
            secret = generate_secret()
            await repository.insert_endpoint(
                conn,
                {
                    "account_id": account_id,
                    "url": values["url"],
                    "secret": secret,
                    "max_updates_per_message": values.get("max_updates_per_message", 1),
                    "enabled": enabling,
                    "disabled_reason": None if enabling else "manual",
                    "disabled_at": None if enabling else now,
                    "created_at": now,
                    "updated_at": now,
                },
            )
        else:
            changes = dict(values, updated_at=now)
            if enabling and not current.enabled:
                changes.update(
                    enabled=True, disabled_reason=None, disabled_at=None, failing_since=None
                )
            elif not enabling and current.enabled:
                changes.update(enabled=False, disabled_reason="manual", disabled_at=now)
            if current.url != values["url"]:
                changes["failing_since"] = None  # the failures were another URL's
            await repository.update_endpoint(conn, account_id, changes)
            if changes.get("max_updates_per_message", current.max_updates_per_message) != (
                current.max_updates_per_message
            ):
                # Open groups are sent as they are now; new events follow the new setting.
                await queue.close_groups(conn, account_id, now)
        row = await repository.get_endpoint(conn, account_id)
    assert row is not None
    return WebhookState(row, secret=secret, created=current is None)


async def rotate_secret(
    db: Database, settings: WebhookSettings, account_id: str, body: Any = None
) -> WebhookState:
    """A new secret; the current one keeps signing (and stays the bearer token) for the
    overlap (``overlapHours`` in the body, default ``secret_overlap_hours``)."""
    overlap = settings.secret_overlap_hours
    if isinstance(body, dict) and body.get("overlapHours") is not None:
        value = body["overlapHours"]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not 0 <= value <= 720
        ):
            raise validation_error(
                f"overlapHours must be a number of hours from 0 (switch at once) to 720, "
                f"not {value!r}."
            )
        overlap = float(value)
    elif body is not None and not isinstance(body, dict):
        raise validation_error('The body, if any, must be a JSON object: {"overlapHours": 24}.')
    now = utcnow()
    secret = generate_secret()
    async with db.write() as conn:
        current = await repository.get_endpoint(conn, account_id)
        if current is None:
            raise webhook_missing()
        await repository.update_endpoint(
            conn,
            account_id,
            {
                "secret": secret,
                "previous_secret": current.secret if overlap > 0 else None,
                "previous_secret_expires_at": (
                    now + dt.timedelta(hours=overlap) if overlap > 0 else None
                ),
                "updated_at": now,
            },
        )
        row = await repository.get_endpoint(conn, account_id)
    assert row is not None
    return WebhookState(row, secret=secret)


async def delete_webhook(db: Database, account_id: str) -> int:
    """Remove the webhook; its undelivered messages are dropped. Returns how many."""
    now = utcnow()
    async with db.write() as conn:
        if await repository.get_endpoint(conn, account_id) is None:
            raise webhook_missing()
        dropped = await queue.drop_pending(
            conn, account_id=account_id, reason="webhook_deleted", now=now
        )
        await repository.delete_endpoint(conn, account_id)
    return dropped


async def reveal_secret(db: Database, account_id: str) -> tuple[str, str | None]:
    """The current and (during an overlap) previous secret — for the operator's CLI only."""
    state = await get_webhook(db, account_id)
    _bearer, signing = active_secrets(state.row, utcnow())
    return state.row.secret, (signing[1] if len(signing) > 1 else None)


# --- resend, history ---------------------------------------------------------------------------


async def _tracker(db: Database, account_id: str, ref: str, by_client_id: bool) -> Row[Any]:
    async with db.read() as conn:
        row = await trackers_repository.get_tracker(
            conn,
            account_id,
            ref,
            by_client_id=by_client_id,
            columns=trackers_repository.TRACKER_COLUMNS,
        )
    if row is None:
        raise tracker_not_found()
    return row


async def resend(db: Database, account_id: str, ref: str, *, by_client_id: bool) -> int:
    """Re-queue every message of the tracker with its original id and body (Ship24 §3.9)."""
    tracker = await _tracker(db, account_id, ref, by_client_id)
    now = utcnow()
    async with db.write() as conn:
        if await repository.get_endpoint(conn, account_id) is None:
            raise ApiError(
                400,
                "webhook_url_missing",
                "This account has no webhook to resend to. Set one with PUT /account/webhook "
                '{"url": "https://…"} first.',
            )
        return await repository.requeue(conn, account_id, now, tracker_id=tracker.id)


def _response_body(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return text


async def history(
    db: Database, account_id: str, ref: str, *, by_client_id: bool
) -> tuple[str, bytes]:
    """The webhook history file of a tracker (Ship24 §3.10): its file name and body."""
    tracker = await _tracker(db, account_id, ref, by_client_id)
    async with db.read() as conn:
        endpoint = await repository.get_endpoint(conn, account_id)
        rows = await repository.history(conn, tracker.id)
    delivered = [r.delivered_at for r in rows if r.delivered_at is not None]
    failed = [r.last_failed_at for r in rows if r.last_failed_at is not None]
    meta = orjson.dumps(
        {
            "trackingNumber": tracker.tracking_number,
            "trackerId": tracker.id,
            "clientTrackerId": tracker.client_tracker_id,
            "webhookUrl": endpoint.url if endpoint is not None else None,
            "lastSuccessfulPushAt": _ts(max(delivered)) if delivered else None,
            "lastFailedPushAt": _ts(max(failed)) if failed else None,
        }
    )
    items = []
    for row in rows:
        success = row.last_outcome == "success"
        head = orjson.dumps(
            {
                "status": "success" if success else "failed",
                "pushTimestamp": _ts(row.last_attempt_at),
            }
        )
        tail = orjson.dumps(
            {
                "responseBody": _response_body(row.last_response_body),
                "responseHeaders": (
                    orjson.loads(row.last_response_headers) if row.last_response_headers else {}
                ),
                "responseStatusCode": (
                    str(row.last_status_code) if row.last_status_code is not None else None
                ),
            }
        )
        # The stored body is spliced in as is: the exact bytes that were sent.
        items.append(head[:-1] + b',"requestBody":' + bytes(row.body) + b"," + tail[1:])
    body = b'{"metadata":' + meta + b',"webhooks":[' + b",".join(items) + b"]}"
    number = tracker.tracking_number.replace("/", "_")
    return f"webhook-history-{number}-{utcnow():%Y%m%d}.json", body


# --- delivery log --------------------------------------------------------------------------


def message_dict(row: Row[Any]) -> dict[str, Any]:
    return {
        "messageId": row.id,
        "trackerId": row.tracker_id,
        "topic": row.topic,
        "sequence": row.sequence,
        "eventCount": row.event_count,
        "status": row.status,
        "attempts": row.attempts,
        "createdAt": _ts(row.created_at),
        "nextAttemptAt": _ts(row.next_attempt_at) if row.status == repository.PENDING else None,
        "lastAttemptAt": _ts(row.last_attempt_at),
        "lastStatusCode": row.last_status_code,
        "lastError": row.last_error,
        "deliveredAt": _ts(row.delivered_at),
        "finishedAt": _ts(row.finished_at),
        "dropReason": row.drop_reason,
    }


def attempt_dict(row: Row[Any]) -> dict[str, Any]:
    return {
        "attempt": row.attempt,
        "at": _ts(row.at),
        "outcome": row.outcome,
        "statusCode": row.status_code,
        "durationMs": row.duration_ms,
        "error": row.error,
        "responseBody": row.response_body,
    }


async def list_messages(
    db: Database,
    account_id: str,
    *,
    tracker_ref: str | None = None,
    by_client_id: bool = False,
    status: str | None = None,
    limit: int = 100,
) -> list[Row[Any]]:
    if status is not None and status not in MESSAGE_STATUSES:
        raise validation_error(
            f"status must be one of {', '.join(MESSAGE_STATUSES)}, not {status!r}."
        )
    tracker_id = None
    if tracker_ref is not None:
        tracker_id = (await _tracker(db, account_id, tracker_ref, by_client_id)).id
    async with db.read() as conn:
        return await repository.list_messages(
            conn, account_id, tracker_id=tracker_id, status=status, limit=limit
        )


async def message_counts(db: Database, account_id: str) -> dict[str, int]:
    """How many of the account's messages are in each state (the webhook backlog)."""
    async with db.read() as conn:
        return await repository.count_by_status(conn, account_id)


async def message_detail(
    db: Database, account_id: str, message_id: str
) -> tuple[Row[Any], list[Row[Any]]]:
    async with db.read() as conn:
        row = await repository.get_message(conn, account_id, message_id)
        if row is None:
            raise ApiError(
                404,
                "message_not_found",
                f"No webhook message {message_id!r} in this account. List them with "
                "GET /account/webhook/messages.",
            )
        attempts = await repository.attempts_of(conn, message_id)
    return row, attempts


async def replay_message(db: Database, account_id: str, message_id: str) -> None:
    """Queue one message again, due now, with its original id and body."""
    async with db.write() as conn:
        if not await repository.requeue(conn, account_id, utcnow(), message_id=message_id):
            raise ApiError(
                404,
                "message_not_found",
                f"No webhook message {message_id!r} in this account.",
            )


async def send_test_message(
    db: Database, session: aiohttp.ClientSession, settings: WebhookSettings, account_id: str
) -> tuple[str, AttemptResult]:
    """Send a sample message to the account's URL now, signed like every message, outside
    the outbox (nothing is recorded). Returns the message id and the attempt's result."""
    import aiohttp  # on the outbound session's first use (``shiptrack.outbound``)

    state = await get_webhook(db, account_id)
    now = utcnow()
    message_id, body = sample_body(now)
    bearer, signing = active_secrets(state.row, now)
    result = await deliver(
        session,
        _resolver(settings),
        url=state.row.url,
        message_id=message_id,
        body=body,
        bearer=bearer,
        keys=[secret_key(s) for s in signing],
        timeout=aiohttp.ClientTimeout(total=settings.timeout_seconds),
        body_limit=settings.response_body_limit,
    )
    return message_id, result
