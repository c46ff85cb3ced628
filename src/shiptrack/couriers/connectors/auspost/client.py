"""The Australia Post "Track items" connector: the only module here that does I/O.

``GET {base}[/test]/shipping/v1/track?tracking_ids=id1,…,id10`` with HTTP Basic credentials
(API key and password) and the ``Account-Number`` header; up to 10 ids per call, each with its
own result or ``errors`` (see ``parse``). Request-level errors come as ``{"errors": [{code,
name, message}]}``: ``41001`` (unknown account) and 401/403 are the credentials, ``API_002`` and
429 the limit, 5xx Australia Post's trouble; they fail every id of the call.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from shiptrack.couriers.connectors.auspost.parse import SOURCE_CODE, parse_answer
from shiptrack.couriers.connectors.auspost.settings import AusPostSettings
from shiptrack.couriers.connectors.auspost.statuses import (
    AUTH_ERROR_CODES,
    COURIER_CODE,
    RATE_LIMIT_CODES,
)
from shiptrack.couriers.connectors.base import ApiKeyConnector
from shiptrack.couriers.connectors.http import (
    error_for_status,
    guarded,
    parse_retry_after,
    read_error_body,
    read_json,
)
from shiptrack.couriers.connectors.protocol import (
    CourierAuthError,
    CourierError,
    CourierRateLimited,
    CourierResponseInvalid,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
)

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger(__name__)

PATH = "/shipping/v1/track"
#: Most ids Australia Post accepts in one call (error 51101 beyond).
BATCH_SIZE = 10
#: Article, consignment and barcode ids: letters and digits only.
NUMBER = re.compile(r"^[A-Za-z0-9]{6,40}$")


class AusPostConnector(ApiKeyConnector):
    """Australia Post tracking over the shared aiohttp session (which it does not own).

    Calls of up to 10 ids each, in order: after a credentials error or a 429 the remaining
    batches get the same error without calling Australia Post again.
    """

    _settings: AusPostSettings
    name = "auspost"
    carrier_name = "Australia Post"
    source_code = SOURCE_CODE
    courier_codes = frozenset({COURIER_CODE})
    batch_size = BATCH_SIZE
    settings_class = AusPostSettings
    key_header = "Authorization"
    path = PATH
    #: A well-formed article id Australia Post will not know.
    probe_number = "LA000000000AU"

    def __init__(self, settings: AusPostSettings, session: aiohttp.ClientSession) -> None:
        super().__init__(settings, session)
        self._url = settings.resolved_base_url() + settings.path_prefix + self.path

    @classmethod
    def credential_variables(cls) -> tuple[str, ...]:
        prefix = cls.env_prefix()
        return (f"{prefix}API_KEY", f"{prefix}PASSWORD", f"{prefix}ACCOUNT_NUMBER")

    def key_headers(self) -> dict[str, str]:
        key = self._settings.api_key.get_secret_value()  # type: ignore[union-attr]
        password = self._settings.password.get_secret_value()  # type: ignore[union-attr]
        basic = base64.b64encode(f"{key}:{password}".encode()).decode("ascii")
        return {
            "Authorization": f"Basic {basic}",
            "Account-Number": self._settings.account_number or "",
            "Accept": "application/json",
        }

    async def track_batch(
        self, batch: Sequence[str], hints: Mapping[str, TrackingHints] | None = None
    ) -> dict[str, TrackOutcome]:
        outcomes: dict[str, TrackOutcome] = {}
        valid = []
        for number in batch:
            if NUMBER.match(number.strip()):
                valid.append(number)
            else:
                outcomes[number] = TrackingNumberNotFound(
                    f"Australia Post: {number!r} is not an article or consignment id"
                )
        if valid:
            try:
                answered = await guarded(lambda: self._get(valid), timeout=self._settings.timeout)
            except CourierError as exc:
                answered = dict.fromkeys(valid, exc)
            outcomes.update(answered)
        return {number: outcomes[number] for number in batch}

    async def _get(self, batch: list[str]) -> dict[str, TrackOutcome]:
        params = {"tracking_ids": ",".join(number.strip() for number in batch)}
        async with self._session.get(self._url, params=params, headers=self.key_headers()) as r:
            if r.status == 200:
                return parse_answer(batch, await read_json(r))
            body, text = await read_error_body(r)
            error = request_error(r.status, body, r.headers.get("Retry-After")) or (
                error_for_status(r.status, retry_after=r.headers.get("Retry-After"), detail=text)
            )
            log.info("auspost_error status=%s detail=%s", r.status, error)
            return dict.fromkeys(batch, error or CourierResponseInvalid(f"HTTP {r.status}"))


def request_error(status: int, body: object, retry_after: str | None) -> CourierError | None:
    """The typed error of a request-level ``{"errors": [...]}`` body (None: not one)."""
    if not isinstance(body, Mapping) or not isinstance(body.get("errors"), list):
        return None
    errors = [e for e in body["errors"] if isinstance(e, Mapping)]
    codes = {str(e.get("code")) for e in errors}
    text = "; ".join(f"{e.get('code')} {e.get('name') or ''}".strip() for e in errors)[:200]
    if codes & AUTH_ERROR_CODES or status in (401, 403):
        return CourierAuthError(f"Australia Post: {text}")
    if codes & RATE_LIMIT_CODES or status == 429:
        return CourierRateLimited(
            f"Australia Post: {text}", retry_after=parse_retry_after(retry_after)
        )
    if status >= 500:
        return None
    return CourierResponseInvalid(f"Australia Post HTTP {status}: {text}")
