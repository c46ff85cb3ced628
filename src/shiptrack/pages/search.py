"""Finding a tracking page by tracking number and destination post code.

An account that turns ``postCodeSearch`` on in its branding gets a form at
``/track/find/{accountId}``: a customer types the tracking number and the delivery address's
post code, and is sent (303) to the tracker's page. The post code guards the page: it is the
one thing a stranger holding a tracking number does not know.

No enumeration oracle: an unknown number and a wrong post code answer the same 404 page with
the same words, after the same work (``trackers.service.find_by_post_code`` compares in
constant time). Guesses are limited in this process, counting failures only: per client
address (``ADDRESS_LIMIT`` per ``WINDOW_SECONDS``) and per tracking number of the account
(``NUMBER_LIMIT``, which also stops guessing spread over many addresses); past a limit the
form answers 429 with ``Retry-After`` and says when to try again. With several workers each
keeps its own counts, so the limits multiply by the number of workers.
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from shiptrack.accounts.ratelimit import FixedWindows, address_key
from shiptrack.api.services import services
from shiptrack.db.engine import Database
from shiptrack.pages import branding, links, render, repository
from shiptrack.trackers import service as trackers

PATH = "/track/find/{accountId}"
WINDOW_SECONDS = 900
ADDRESS_LIMIT = 10
NUMBER_LIMIT = 5
_LONGEST = 64


@dataclass(slots=True)
class Guesses:
    """Failed guesses in fixed windows, per address and per (account, number)."""

    by_address: FixedWindows = field(default_factory=lambda: FixedWindows(WINDOW_SECONDS))
    by_number: FixedWindows = field(default_factory=lambda: FixedWindows(WINDOW_SECONDS))

    def wait(self, address: str, number: tuple[str, str], now: float) -> int:
        """Seconds to wait before guessing again; 0 when a guess may be made now."""
        for windows, key, limit in (
            (self.by_address, address, ADDRESS_LIMIT),
            (self.by_number, number, NUMBER_LIMIT),
        ):
            count, ends = windows.count(key, now)
            if count >= limit:
                return max(1, math.ceil(ends - now))
        return 0

    def failed(self, address: str, number: tuple[str, str], now: float) -> None:
        self.by_address.add(address, now)
        self.by_number.add(number, now)


#: Each application's counts (tests run several applications in one process).
_GUESSES: weakref.WeakKeyDictionary[Any, Guesses] = weakref.WeakKeyDictionary()


def _guesses(request: Request) -> Guesses:
    found = _GUESSES.get(request.app)
    if found is None:
        found = _GUESSES[request.app] = Guesses()
    return found


async def _enabled_branding(db: Database, account_id: str) -> branding.Branding | None:
    async with db.read() as conn:
        row = await repository.branding(conn, account_id)
    found = branding.from_row(row)
    return found if found.post_code_search else None


def _form(
    request: Request,
    brand: branding.Branding,
    status: int,
    *,
    message: str | None = None,
    number: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    lang = render.language(request)
    response = render.page(
        "search.html",
        status,
        lang,
        brand,
        logo_path=None,
        message=message,
        number=number,
        action=request.url.path + f"?lang={lang}",
    )
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


async def form(request: Request) -> Response:
    brand = await _enabled_branding(services(request).db, request.path_params["accountId"])
    if brand is None:
        return render.not_found(request)
    return _form(request, brand, 200)


async def find(request: Request) -> Response:
    db: Database = services(request).db
    account_id = request.path_params["accountId"]
    brand = await _enabled_branding(db, account_id)
    if brand is None:
        return render.not_found(request)
    ui = render.texts(request)
    values = await request.form()
    number = str(values.get("number") or "").strip()[:_LONGEST]
    post_code = str(values.get("postcode") or "").strip()[:_LONGEST]
    if not number or not post_code:
        return _form(request, brand, 400, message=ui["search_missing"], number=number)
    address = address_key(request.client.host if request.client else None)
    key = (account_id, number.upper())
    guesses = _guesses(request)
    now = time.time()
    wait = guesses.wait(address, key, now)
    if wait:
        message = ui["search_too_many"].replace("{minutes}", str(math.ceil(wait / 60)))
        return _form(
            request, brand, 429, message=message, number=number, headers={"Retry-After": str(wait)}
        )
    tracker_id = await trackers.find_by_post_code(db, account_id, number, post_code)
    if tracker_id is None:
        guesses.failed(address, key, now)
        return _form(request, brand, 404, message=ui["search_no_match"], number=number)
    token = await links.link(db, account_id, tracker_id, rotate=False)
    target = f"{links.page_path(token)}?lang={render.language(request)}"
    return RedirectResponse(target, 303, headers={"Cache-Control": "no-store"})
