"""The console's webhook page: the endpoint's settings (saved through
``webhooks.endpoints.service.set_webhook``, with its address checks and probe), the delivery
log with failures first in mind, replaying one message, and rotating the signing secret
(the new secret is shown once, on the answer to the rotation, never in a URL)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from shiptrack.console import render
from shiptrack.console.services import services
from shiptrack.console.sessions import Session, signed_in
from shiptrack.errors import ApiError
from shiptrack.webhooks.endpoints import service as webhooks

LOG_SIZE = 100


async def _page(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    problem: str | None = None,
    secret: str | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    svc = services(request)
    try:
        endpoint = webhooks.webhook_dict(
            await webhooks.get_webhook(svc.db, session.account_id), svc.webhook_settings
        )
    except ApiError:
        endpoint = None
    wanted = request.query_params.get("status") or None
    if wanted not in webhooks.MESSAGE_STATUSES:
        wanted = None
    rows = await webhooks.list_messages(svc.db, session.account_id, status=wanted, limit=LOG_SIZE)
    return render.page(
        request,
        "webhooks.html",
        session,
        status=status,
        endpoint=endpoint,
        counts=await webhooks.message_counts(svc.db, session.account_id),
        messages=[webhooks.message_dict(row) for row in rows],
        statuses=webhooks.MESSAGE_STATUSES,
        wanted=wanted,
        problem=problem,
        secret=secret,
        form=form or {},
        saved=request.query_params.get("saved") == "1",
        replayed=request.query_params.get("replayed"),
        limit=svc.webhook_settings.max_updates_per_message_limit,
    )


@signed_in
async def webhooks_page(request: Request, session: Session) -> Response:
    return await _page(request, session)


@signed_in
async def save_settings(request: Request, session: Session) -> Response:
    svc = services(request)
    form = await request.form()
    body: dict[str, Any] = {
        "url": str(form.get("url") or "").strip(),
        "enabled": form.get("enabled") == "on",
    }
    raw_limit = str(form.get("maxUpdatesPerMessage") or "").strip()
    if raw_limit:
        body["maxUpdatesPerMessage"] = int(raw_limit) if raw_limit.isdigit() else raw_limit
    try:
        state = await webhooks.set_webhook(
            svc.db, svc.http, svc.webhook_settings, session.account_id, body
        )
    except ApiError as exc:
        return await _page(request, session, status=400, problem=render.error_text(exc), form=body)
    svc.forget_webhook(session.account_id)
    if state.secret is not None:  # a new endpoint: its secret, shown this once
        return await _page(request, session, secret=state.secret)
    return RedirectResponse("/console/webhooks?saved=1", 303)


@signed_in
async def rotate_secret(request: Request, session: Session) -> Response:
    svc = services(request)
    raw = str((await request.form()).get("overlapHours") or "").strip()
    body = None
    if raw:
        try:
            body = {"overlapHours": float(raw)}
        except ValueError:
            body = {"overlapHours": raw}
    try:
        state = await webhooks.rotate_secret(svc.db, svc.webhook_settings, session.account_id, body)
    except ApiError as exc:
        return await _page(request, session, status=400, problem=render.error_text(exc))
    return await _page(request, session, secret=state.secret)


@signed_in
async def replay(request: Request, session: Session) -> Response:
    svc = services(request)
    message_id = request.path_params["messageId"]
    try:
        await webhooks.replay_message(svc.db, session.account_id, message_id)
    except ApiError as exc:
        return await _page(request, session, status=404, problem=render.error_text(exc))
    svc.wake_dispatcher()
    return RedirectResponse(f"/console/webhooks?{urlencode({'replayed': message_id})}", 303)
