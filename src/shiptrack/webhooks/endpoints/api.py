"""Webhook endpoints: Ship24's resend and history download (§3.9, §3.10), and shiptrack's
account webhook resource (settings, secret rotation, delivery log, replay, test send).

Mounted under /public/v1 and /v1 like every router (``router`` is registered in app.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import orjson
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.api.deps import (
    authorize,
    int_param,
    json_body,
    json_response,
    search_by_client_id,
    searched_by_client_id,
)
from shiptrack.api.openapi import SEARCH_BY, errors
from shiptrack.api.routing import ApiRouter
from shiptrack.api.services import services
from shiptrack.config import Settings
from shiptrack.config.webhooks import WebhookSettings
from shiptrack.db.engine import Database
from shiptrack.webhooks.delivery.dispatcher import WebhookDispatcher
from shiptrack.webhooks.delivery.outbox import Outbox
from shiptrack.webhooks.endpoints import schemas, service

router = ApiRouter(
    "Webhooks",
    [
        schemas.AccountWebhookRequest,
        schemas.RotateSecretRequest,
        schemas.AccountWebhookEnvelope,
        schemas.ResendEnvelope,
        schemas.WebhookHistoryFile,
        schemas.WebhookMessageEnvelope,
        schemas.WebhookMessagesEnvelope,
        schemas.WebhookTestEnvelope,
    ],
)

if TYPE_CHECKING:
    import aiohttp

_ACCOUNT = "account_webhook"


@runtime_checkable
class WebhookServices(Protocol):
    """What the webhook endpoints read of the app's services (``api/services.py``)."""

    #: Its ``webhook`` section is the webhook settings (``config/webhooks.py``).
    settings: Settings
    db: Database
    http: aiohttp.ClientSession
    #: This process's outbox: forgets an account's cached webhook when it changes.
    outbox: Outbox
    #: This process's dispatcher, woken once queued messages are committed.
    dispatcher: WebhookDispatcher


def _services(request: Request) -> WebhookServices:
    return services(request, WebhookServices)


def _settings(request: Request) -> WebhookSettings:
    return _services(request).settings.webhook


def _wake(request: Request) -> None:
    """Tell this process's dispatcher that messages are due now: only once the transaction
    that queued them has committed (the service's own, returned by then)."""
    _services(request).dispatcher.wake()


def _webhook_body(request: Request, state: service.WebhookState) -> bytes:
    return orjson.dumps({"data": {"webhook": service.webhook_dict(state, _settings(request))}})


async def _optional_body(request: Request) -> Any:
    if not (await request.body()).strip():
        return None
    return await json_body(request)


# --- Ship24's tracker endpoints ----------------------------------------------------------------


@router.route(
    "POST",
    "/trackers/{trackerId}/webhook-events/resend",
    operation_id="resend-webhooks",
    summary="Resend webhooks of an existing tracker",
    description="Queue every webhook message of the tracker again, with its original "
    "messageId and body; they are delivered in order. 400 webhook_url_missing without a "
    "webhook.",
    parameters=(SEARCH_BY,),
    responses={201: ("ResendEnvelope", "How many messages were queued"), **errors(400, 404)},
)
async def resend_webhooks(request: Request) -> Response:
    account = await authorize(request, "resend_webhooks")
    by_client = searched_by_client_id(request)
    total = await service.resend(
        _services(request).db, account.id, request.path_params["trackerId"], by_client_id=by_client
    )
    if total:
        _wake(request)
    return json_response(orjson.dumps({"data": {"summary": {"totalResent": total}}}), 201)


@router.route(
    "GET",
    "/trackers/{trackerId}/webhook-history/download",
    operation_id="download-webhook-history",
    summary="Download webhook history of an existing tracker",
    description="A JSON file: the tracker's sent and failed webhook pushes, most recent "
    "first, with request body, response body, headers and status code.",
    parameters=(SEARCH_BY,),
    responses={200: ("WebhookHistoryFile", "The history file"), **errors(400, 404)},
)
async def download_webhook_history(request: Request) -> Response:
    account = await authorize(request, "webhook_history")
    by_client = searched_by_client_id(request)
    filename, body = await service.history(
        _services(request).db, account.id, request.path_params["trackerId"], by_client_id=by_client
    )
    response = json_response(body)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Access-Control-Expose-Headers"] = "Content-Disposition"
    return response


# --- the account webhook resource (shiptrack) ---------------------------------------------------


@router.route(
    "GET",
    "/account/webhook",
    operation_id="get-account-webhook",
    summary="Read the account's webhook settings",
    description="URL, grouping, enabled state (with the reason and a notice when it was "
    "disabled), last pushes and a preview of the secret. 404 webhook_url_missing if none.",
    responses={200: ("AccountWebhookEnvelope", "The webhook"), **errors(404)},
)
async def get_account_webhook(request: Request) -> Response:
    account = await authorize(request, _ACCOUNT)
    state = await service.get_webhook(_services(request).db, account.id)
    return json_response(_webhook_body(request, state))


@router.route(
    "PUT",
    "/account/webhook",
    operation_id="set-account-webhook",
    summary="Set the account's webhook",
    description="Create or update the webhook. A new URL must answer HEAD with 2xx (unless "
    "the operator turned the probe off) and resolve to a public address. Answers 201 with "
    "the secret when the webhook is created, else 200 without it.",
    body="AccountWebhookRequest",
    responses={
        200: ("AccountWebhookEnvelope", "Updated"),
        201: ("AccountWebhookEnvelope", "Created, with its secret"),
        **errors(400),
    },
)
async def put_account_webhook(request: Request) -> Response:
    account = await authorize(request, _ACCOUNT)
    body = await json_body(request)
    found = _services(request)
    result = await service.set_webhook(found.db, found.http, _settings(request), account.id, body)
    found.outbox.invalidate(account.id)
    _wake(request)
    return json_response(_webhook_body(request, result), 201 if result.created else 200)


@router.route(
    "DELETE",
    "/account/webhook",
    operation_id="delete-account-webhook",
    summary="Remove the account's webhook",
    description="Answers 204 (no body). Undelivered messages are dropped (recorded as such); "
    "no new ones are queued.",
    responses=errors(404),
)
async def delete_account_webhook(request: Request) -> Response:
    account = await authorize(request, _ACCOUNT)
    found = _services(request)
    await service.delete_webhook(found.db, account.id)
    found.outbox.invalidate(account.id)
    return Response(status_code=204)


@router.route(
    "POST",
    "/account/webhook/rotate-secret",
    operation_id="rotate-account-webhook-secret",
    summary="Rotate the webhook secret",
    description="Answers the new secret. For overlapHours (default 24) messages carry "
    "signatures by both secrets and the bearer header keeps the old one.",
    body="RotateSecretRequest",
    responses={
        200: ("AccountWebhookEnvelope", "The webhook, with its new secret"),
        **errors(400, 404),
    },
)
async def rotate_account_webhook_secret(request: Request) -> Response:
    account = await authorize(request, _ACCOUNT)
    body = await _optional_body(request)
    state = await service.rotate_secret(_services(request).db, _settings(request), account.id, body)
    return json_response(_webhook_body(request, state))


@router.route(
    "POST",
    "/account/webhook/test",
    operation_id="test-account-webhook",
    summary="Send a test message to the webhook now",
    description="A sample delivered-parcel message, signed like all messages, sent at once "
    "outside the queue (not recorded). Answers what the receiver did.",
    responses={200: ("WebhookTestEnvelope", "The attempt's result"), **errors(404)},
)
async def send_test_to_account_webhook(request: Request) -> Response:
    account = await authorize(request, _ACCOUNT)
    found = _services(request)
    message_id, result = await service.send_test_message(
        found.db, found.http, _settings(request), account.id
    )
    body = {
        "messageId": message_id,
        "ok": result.ok,
        "statusCode": result.status_code,
        "durationMs": result.duration_ms,
        "error": result.error,
        "responseBody": result.response_body,
    }
    return json_response(orjson.dumps({"data": {"result": body}}))


_LOG_PARAMETERS = (
    {"name": "trackerId", "in": "query", "required": False, "schema": {"type": "string"}},
    SEARCH_BY,
    {
        "name": "status",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": list(service.MESSAGE_STATUSES)},
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
    },
)


@router.route(
    "GET",
    "/account/webhook/messages",
    operation_id="list-account-webhook-messages",
    summary="List webhook messages (the delivery log)",
    description="Newest first; filter by trackerId (searchBy applies) and status.",
    parameters=_LOG_PARAMETERS,
    responses={200: ("WebhookMessagesEnvelope", "Messages"), **errors(400, 404)},
)
async def list_account_webhook_messages(request: Request) -> Response:
    account = await authorize(request, _ACCOUNT)
    query = request.query_params
    rows = await service.list_messages(
        _services(request).db,
        account.id,
        tracker_ref=query.get("trackerId"),
        by_client_id=search_by_client_id(query.get("searchBy")),
        status=query.get("status"),
        limit=int_param(query.get("limit"), "limit", 100, 1, 500),
    )
    messages = [service.message_dict(r) for r in rows]
    return json_response(orjson.dumps({"data": {"messages": messages}}))


@router.route(
    "GET",
    "/account/webhook/messages/{messageId}",
    operation_id="get-account-webhook-message",
    summary="One webhook message with its body and every delivery attempt",
    responses={200: ("WebhookMessageEnvelope", "The message"), **errors(404)},
)
async def get_account_webhook_message(request: Request) -> Response:
    account = await authorize(request, _ACCOUNT)
    row, attempts = await service.message_detail(
        _services(request).db, account.id, request.path_params["messageId"]
    )
    message = service.message_dict(row)
    message["payload"] = orjson.Fragment(bytes(row.body))
    message["deliveryLog"] = [service.attempt_dict(a) for a in attempts]
    return json_response(orjson.dumps({"data": {"message": message}}))


@router.route(
    "POST",
    "/account/webhook/messages/{messageId}/replay",
    operation_id="replay-account-webhook-message",
    summary="Queue one webhook message again",
    description="Same messageId and body; delivered after the tracker's earlier pending messages.",
    responses={201: ("WebhookMessageEnvelope", "The message, queued"), **errors(404)},
)
async def replay_account_webhook_message(request: Request) -> Response:
    account = await authorize(request, _ACCOUNT)
    db = _services(request).db
    message_id = request.path_params["messageId"]
    await service.replay_message(db, account.id, message_id)
    _wake(request)
    row, attempts = await service.message_detail(db, account.id, message_id)
    message = service.message_dict(row)
    message["payload"] = orjson.Fragment(bytes(row.body))
    message["deliveryLog"] = [service.attempt_dict(a) for a in attempts]
    return json_response(orjson.dumps({"data": {"message": message}}), 201)
