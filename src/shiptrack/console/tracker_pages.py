"""The console's tracker pages: the list (search, filters, pages), one tracker (timeline,
sources and diagnostics, webhook messages with their deliveries, the tracking-page link) and
its resend button. Reads go through ``trackers.service``/``trackers.listing``, the
diagnostics are the API's own (``presenter.diagnostics_body``), webhook messages come from
``webhooks.endpoints.service``."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from shiptrack.console import render
from shiptrack.console.services import services
from shiptrack.console.sessions import Session, signed_in
from shiptrack.errors import ApiError
from shiptrack.pages import i18n, links, view
from shiptrack.status.taxonomy import MILESTONES
from shiptrack.trackers import listing, presenter
from shiptrack.trackers import service as trackers
from shiptrack.trackers.routing import routing_view
from shiptrack.webhooks.endpoints import service as webhooks

PAGE_SIZE = 50
#: Diagnostics sections drawn as tables; any other section is shown as JSON.
_DRAWN = {"tracker", "checks", "routing", "numberProblems", "events"}
#: Webhook messages shown on a tracker's page, each with its attempts.
MESSAGES_SHOWN = 20
#: What a failed resend says (by error code; the redirect carries only the code).
RESEND_ERRORS = {
    "webhook_url_missing": "This account has no webhook to resend to: set one on the "
    "Webhooks page first.",
}


def _date(value: str, name: str, problems: list[str]) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{name} must be a date as YYYY-MM-DD, not {value!r}.")
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def parse_filter(query: Any) -> tuple[listing.TrackerFilter, dict[str, str], list[str]]:
    """The filter a list request asks for, the form's values, and problems to show."""
    form = {
        name: (query.get(name) or "").strip()
        for name in ("q", "milestone", "courier", "state", "from", "to")
    }
    problems: list[str] = []
    if form["milestone"] and form["milestone"] not in MILESTONES:
        problems.append(f"milestone must be one of {', '.join(MILESTONES)}.")
        form["milestone"] = ""
    tracked = {"tracked": True, "stopped": False}.get(form["state"])
    created_from = _date(form["from"], "From", problems)
    created_to = _date(form["to"], "To", problems)
    if created_to is not None:
        created_to += dt.timedelta(days=1)  # the whole "to" day
    wanted = listing.TrackerFilter(
        text=form["q"] or None,
        milestone=form["milestone"] or None,
        courier=form["courier"].lower() or None,
        tracked=tracked,
        created_from=created_from,
        created_to=created_to,
    )
    return wanted, form, problems


@signed_in
async def tracker_list(request: Request, session: Session) -> Response:
    wanted, form, problems = parse_filter(request.query_params)
    try:
        page = max(1, min(10_000, int(request.query_params.get("page") or 1)))
    except ValueError:
        page = 1
    rows, total = await listing.search(
        services(request).db, session.account_id, wanted, page=page, limit=PAGE_SIZE
    )
    kept = {k: v for k, v in form.items() if v}
    pages = max(1, -(-total // PAGE_SIZE))
    return render.page(
        request,
        "trackers.html",
        session,
        rows=rows,
        total=total,
        form=form,
        problems=problems,
        milestones=MILESTONES,
        page=page,
        pages=pages,
        previous=f"?{urlencode({**kept, 'page': page - 1})}" if page > 1 else None,
        next=f"?{urlencode({**kept, 'page': page + 1})}" if page < pages else None,
    )


async def _messages(request: Request, session: Session, tracker_id: str) -> list[Any]:
    db = services(request).db
    rows = await webhooks.list_messages(
        db, session.account_id, tracker_ref=tracker_id, limit=MESSAGES_SHOWN
    )
    shown = []
    for row in rows:
        _, attempts = await webhooks.message_detail(db, session.account_id, row.id)
        shown.append((webhooks.message_dict(row), [webhooks.attempt_dict(a) for a in attempts]))
    return shown


@signed_in
async def tracker_detail(request: Request, session: Session) -> Response:
    svc = services(request)
    tracker_id = request.path_params["trackerId"]
    try:
        row = await trackers.results(svc.db, session.account_id, tracker_id, by_client_id=False)
    except ApiError:
        return render.page(request, "missing.html", session, status=404, what="tracker")
    tracking = orjson.loads(presenter.tracking_bytes(row))
    tracker, stored = await trackers.diagnostics(
        svc.db, session.account_id, tracker_id, by_client_id=False
    )
    routing = routing_view(tracker, svc.connectors, svc.coverage)
    diagnostics = orjson.loads(presenter.diagnostics_body(tracker, stored, routing))["data"]
    extra = {
        name: orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
        for name, value in diagnostics.items()
        if name not in _DRAWN
    }
    token = await links.link(svc.db, session.account_id, tracker_id)
    return render.page(
        request,
        "tracker.html",
        session,
        tracking=tracking,
        timeline=view.build(tracking, i18n.catalogue("en"), "en"),
        diagnostics=diagnostics,
        extra=extra,
        messages=await _messages(request, session, tracker_id),
        page_path=links.page_path(token),
        resent=request.query_params.get("resent"),
        resend_error=(
            RESEND_ERRORS.get(request.query_params["resend_error"], "The resend failed.")
            if "resend_error" in request.query_params
            else None
        ),
    )


@signed_in
async def resend(request: Request, session: Session) -> Response:
    svc = services(request)
    tracker_id = request.path_params["trackerId"]
    target = f"/console/trackers/{tracker_id}"
    try:
        count = await webhooks.resend(svc.db, session.account_id, tracker_id, by_client_id=False)
    except ApiError as exc:
        return RedirectResponse(f"{target}?{urlencode({'resend_error': exc.code})}", 303)
    svc.wake_dispatcher()
    return RedirectResponse(f"{target}?resent={count}#webhook-messages", 303)
