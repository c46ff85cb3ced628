"""Tracking-page endpoints (shiptrack extensions; Ship24's tracker object is unchanged):
a tracker's page link (made on first read, rotated, revoked) and the account's branding."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response

from shiptrack.api.deps import authorize, json_body, json_response
from shiptrack.api.openapi import errors
from shiptrack.api.routing import ApiRouter
from shiptrack.api.services import services
from shiptrack.clock import format_timestamp, utcnow
from shiptrack.pages import branding, links, repository, schemas

router = ApiRouter("Tracking pages", schemas.MODELS)
_LINK = "page_link"
_BRANDING = "page_branding"


async def _answer_link(request: Request, *, rotate: bool) -> Response:
    account = await authorize(request, _LINK)
    tracker_id = request.path_params["trackerId"]
    token = await links.link(services(request).db, account.id, tracker_id, rotate=rotate)
    return json_response(await _link_body(request, tracker_id, token))


async def _link_body(request: Request, tracker_id: str, token: str) -> bytes:
    async with services(request).db.read() as conn:
        row = await repository.link_of_tracker(conn, tracker_id)
    path = links.page_path(token)
    base = str(request.base_url).rstrip("/")
    link = {
        "trackerId": tracker_id,
        "path": path,
        "url": base + path,
        "createdAt": format_timestamp(row.created_at),
    }
    return orjson.dumps({"data": {"pageLink": link}})


@router.route(
    "GET",
    "/trackers/{trackerId}/page-link",
    operation_id="get-tracker-page-link",
    summary="The tracker's tracking-page link",
    description="The link to the tracker's page for end customers, made on the first call "
    "(a random token; the same link afterwards).",
    responses={200: ("PageLinkEnvelope", "The link"), **errors(404)},
)
async def get_page_link(request: Request) -> Response:
    return await _answer_link(request, rotate=False)


@router.route(
    "POST",
    "/trackers/{trackerId}/page-link/rotate",
    operation_id="rotate-tracker-page-link",
    summary="Replace the tracker's tracking-page link",
    description="A new token; the previous link answers 404 from now on.",
    responses={200: ("PageLinkEnvelope", "The new link"), **errors(404)},
)
async def rotate_page_link(request: Request) -> Response:
    return await _answer_link(request, rotate=True)


@router.route(
    "DELETE",
    "/trackers/{trackerId}/page-link",
    operation_id="revoke-tracker-page-link",
    summary="Revoke the tracker's tracking-page link",
    description="Answers 204; the page answers 404 until a new link is made.",
    responses=errors(404),
)
async def revoke_page_link(request: Request) -> Response:
    account = await authorize(request, _LINK)
    await links.revoke(services(request).db, account.id, request.path_params["trackerId"])
    return Response(status_code=204)


async def _branding_body(request: Request, account_id: str) -> bytes:
    async with services(request).db.read() as conn:
        row = await repository.branding(conn, account_id)
    return orjson.dumps({"data": {"branding": branding.as_json(row)}})


@router.route(
    "GET",
    "/account/page-branding",
    operation_id="get-page-branding",
    summary="The account's tracking-page branding",
    description="Name, colours, support contact, footer and logo (null members: defaults).",
    responses={200: ("PageBrandingEnvelope", "The branding")},
)
async def get_branding(request: Request) -> Response:
    account = await authorize(request, _BRANDING)
    return json_response(await _branding_body(request, account.id))


@router.route(
    "PUT",
    "/account/page-branding",
    operation_id="set-page-branding",
    summary="Set the account's tracking-page branding",
    description="Replaces the whole branding. Colours are '#rrggbb'; textColour and "
    "primaryColour need WCAG AA contrast (4.5:1) on backgroundColour, else 400 with the "
    "ratio. The logo is a data: URI (PNG, JPEG, GIF, WebP; at most 64 KiB), served by "
    "shiptrack itself.",
    body="PageBranding",
    responses={200: ("PageBrandingEnvelope", "The branding as stored"), **errors(400)},
)
async def put_branding(request: Request) -> Response:
    account = await authorize(request, _BRANDING)
    values = branding.parse(await json_body(request))
    async with services(request).db.write() as conn:
        await repository.put_branding(conn, account.id, {**values, "updated_at": utcnow()})
    return json_response(await _branding_body(request, account.id))
