"""What the carrier connectors share: construction, the track loops, OAuth calls, factories.

- ``CarrierConnector``: settings, the process's HTTP session (which it does not own), the
  ``ConnectorInfo`` built from the class's ``source_code``/``courier_codes``/``batch_size``
  and the settings' limits; carriers never claim a number whatever its courier code.
- ``OAuthConnector`` (USPS, UPS, FedEx): a cached client-credentials token, calls of up to
  ``batch_size`` numbers made concurrently, a 401 answered by one token refresh and a retry.
  A subclass names its token path and sends one tracking call in ``request``.
- ``ApiKeyConnector`` (DHL, La Poste): an API key header on every call, calls one after the
  other, and no more calls after the key was refused or the quota hit.

Each carrier package keeps what is really its own: paths, payloads, parsing, status tables.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

from shiptrack.couriers.connectors.carrier_settings import (
    ApiKeyCarrierSettings,
    CarrierSettings,
    OAuthCarrierSettings,
)
from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.http import (
    error_for_status,
    guarded,
    read_error_body,
    read_json,
)
from shiptrack.couriers.connectors.oauth import (
    OAuthTokenCache,
    TokenGrant,
    TokenRejected,
    check_token,
    request_token,
    with_token,
)
from shiptrack.couriers.connectors.protocol import (
    ConnectorInfo,
    CourierAuthError,
    CourierError,
    CourierRateLimited,
    SourceInfo,
    TrackingHints,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings


class CarrierConnector:
    """One carrier's connector over the shared aiohttp session (which it does not own).

    Subclasses narrow ``_settings`` to their own settings class (``_settings: UspsSettings``).
    """

    #: The connector's name: its entry point and credential check (``usps``, ``laposte``).
    name: ClassVar[str]
    #: The carrier's name in messages ("USPS", "La Poste").
    carrier_name: ClassVar[str]
    #: Data-source code of its events (``usps-tracking``).
    source_code: ClassVar[str]
    #: Ship24 courier codes this source answers for.
    courier_codes: ClassVar[frozenset[str]]
    #: Most numbers per call to the carrier.
    batch_size: ClassVar[int] = 1
    #: The carrier's settings class (``SHIPTRACK_<CARRIER>_*`` variables).
    settings_class: ClassVar[type[CarrierSettings]]

    _settings: CarrierSettings

    def __init__(self, settings: CarrierSettings, session: aiohttp.ClientSession) -> None:
        self._settings = settings
        self._session = session
        self.info = ConnectorInfo(
            source_code=self.source_code,
            courier_codes=self.courier_codes,
            batch_size=self.batch_size,
            min_interval=settings.min_interval,
            rate_limit=settings.rate_limit,
            timeout=settings.timeout,
        )

    def claims(self, tracking_number: str) -> bool:
        return False

    def check_again_in(self, tracking_number: str, started_at: dt.datetime) -> float | None:
        return None  # a real courier's next scan is unknown: the engine's cadence decides

    def number_problem(self, tracking_number: str) -> str | None:
        return None  # a carrier says what it cannot track by answering "not found"

    async def aclose(self) -> None:
        """Nothing to release: the HTTP session belongs to the process."""

    def batches(self, numbers: Sequence[str]) -> list[list[str]]:
        """``numbers`` in order, in groups of at most ``batch_size``."""
        size = self.batch_size
        return [list(numbers[start : start + size]) for start in range(0, len(numbers), size)]

    @classmethod
    def source_info(cls) -> SourceInfo:
        """What this carrier's package declares as its ``SOURCE`` (see ``SourceInfo``)."""
        return SourceInfo(
            name=cls.name,
            title=cls.carrier_name,
            kind="carrier",
            source_code=cls.source_code,
            courier_codes=cls.courier_codes,
            enable="set " + " and ".join(cls.credential_variables()),
        )

    @classmethod
    def credential_variables(cls) -> tuple[str, ...]:
        """The environment variables that enable this connector."""
        raise NotImplementedError

    @classmethod
    def env_prefix(cls) -> str:
        return str(cls.settings_class.model_config.get("env_prefix", ""))

    @classmethod
    def own_settings(cls, settings: object) -> Any:
        """``settings`` when it is this carrier's settings (tests), else the carrier's own
        ``SHIPTRACK_<CARRIER>_*`` settings (shiptrack's global ``Settings`` is not used)."""
        return settings if isinstance(settings, cls.settings_class) else cls.settings_class()


class OAuthConnector(CarrierConnector):
    """A carrier API behind OAuth 2 client credentials (one token per connector).

    Subclasses set ``settings_class``, ``token_path`` and ``credentials_in`` (as the carrier
    documents the token request), ``number_pattern`` and ``number_noun`` (numbers the API
    would refuse are not found without a call); they implement ``request`` (one tracking call,
    through ``call_api``), ``error_text`` (the carrier's error body → a short text) and, when
    the carrier has more ways than a 404 to say "unknown number", ``is_not_found``.
    """

    _settings: OAuthCarrierSettings
    token_path: ClassVar[str]
    credentials_in: ClassVar[Literal["body", "basic"]]
    #: What the carrier's API accepts as a number; anything else is not found without a call.
    number_pattern: ClassVar[re.Pattern[str]]
    #: What the carrier calls its numbers ("tracking number", "inquiry number").
    number_noun: ClassVar[str] = "tracking number"

    def __init__(self, settings: OAuthCarrierSettings, session: aiohttp.ClientSession) -> None:
        super().__init__(settings, session)
        self._api = settings.api_url
        self._tokens = OAuthTokenCache(self.fetch_token)

    @property
    def tokens(self) -> OAuthTokenCache:
        return self._tokens

    @classmethod
    def credential_variables(cls) -> tuple[str, ...]:
        return (f"{cls.env_prefix()}CLIENT_ID", f"{cls.env_prefix()}CLIENT_SECRET")

    def token_headers(self) -> dict[str, str]:
        """Extra headers of the token request (none by default)."""
        return {}

    async def fetch_token(self) -> TokenGrant:
        """One client-credentials token request (the cache calls this; so does the check)."""
        secret = self._settings.client_secret
        return await request_token(
            self._session,
            f"{self._api}{self.token_path}",
            client_id=self._settings.client_id or "",
            client_secret=secret.get_secret_value() if secret else "",
            credentials_in=self.credentials_in,
            headers=self.token_headers(),
            timeout=self._settings.timeout,
        )

    async def track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        """Numbers the API would refuse are not found without a call; the others go in calls of
        up to ``batch_size`` numbers, made concurrently, all with the one cached token."""
        outcomes: dict[str, TrackOutcome] = {}
        valid: list[str] = []
        for number in dict.fromkeys(numbers):
            if self.number_pattern.match(number):
                valid.append(number)
            else:
                outcomes[number] = TrackingNumberNotFound(
                    f"{self.carrier_name}: {number!r} is not a {self.carrier_name} "
                    f"{self.number_noun}"
                )
        batches = self.batches(valid)
        for answered in await asyncio.gather(*(self._track_batch(b, hints) for b in batches)):
            outcomes.update(answered)
        return {number: outcomes[number] for number in dict.fromkeys(numbers)}

    async def _track_batch(
        self, numbers: list[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        try:
            return await with_token(self._tokens, lambda token: self.request(numbers, hints, token))
        except CourierError as exc:
            return dict.fromkeys(numbers, exc)

    async def request(
        self, numbers: list[str], hints: Mapping[str, TrackingHints], token: str
    ) -> dict[str, TrackOutcome]:
        """One tracking call for ``numbers`` (at most ``batch_size``) with ``token``."""
        raise NotImplementedError

    @staticmethod
    def bearer(token: str) -> dict[str, str]:
        """The headers of an API call with ``token``."""
        return {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    async def call_api(self, method: str, url: str, **request: Any) -> object:
        """One API call (``request`` as for ``aiohttp``): the JSON body of a 2xx answer.

        Errors: a 401 raises ``TokenRejected`` (``with_token`` refreshes the token once and
        retries); an answer ``is_not_found`` recognises raises ``TrackingNumberNotFound`` for
        every number of the call; other statuses raise their typed error (``Retry-After`` read
        for 429 and 5xx); timeouts and connection errors raise ``CourierUnavailable``.
        """

        async def call() -> object:
            async with self._session.request(method, url, **request) as response:
                await self._raise_for_error(response)
                return await read_json(response)

        return await guarded(call, timeout=self._settings.timeout)

    async def _raise_for_error(self, response: aiohttp.ClientResponse) -> None:
        if response.status < 300:
            return
        body, text = await read_error_body(response)
        text = self.error_text(body) or text
        if response.status == 401:
            raise TokenRejected(text)
        if self.is_not_found(response.status, body):
            raise TrackingNumberNotFound(f"{self.carrier_name}: {text or 'not found'}")
        error = error_for_status(
            response.status, retry_after=response.headers.get("Retry-After"), detail=text
        )
        if error is not None:
            raise error

    def error_text(self, body: object) -> str:
        """A short text from the carrier's decoded error body ("" when it has none)."""
        return ""

    def is_not_found(self, status: int, body: object) -> bool:
        """True when an error answer says the carrier does not know the number(s)."""
        return status == 404

    @classmethod
    def build(
        cls, settings: Settings | OAuthCarrierSettings | None, session: aiohttp.ClientSession
    ) -> Self | None:
        """The connector, or ``None`` when no credentials are configured (see ``own_settings``)."""
        own: OAuthCarrierSettings = cls.own_settings(settings)
        return cls(own, session) if own.configured else None

    @classmethod
    async def check_credentials(
        cls, settings: Settings | OAuthCarrierSettings | None, session: aiohttp.ClientSession
    ) -> CredentialCheck:
        """One token request with the configured credentials; the secret is never shown."""
        own: OAuthCarrierSettings = cls.own_settings(settings)
        if not own.configured:
            prefix = own.model_config.get("env_prefix", "")
            detail = f"not configured: set {prefix}CLIENT_ID and {prefix}CLIENT_SECRET"
            return CredentialCheck(cls.name, False, False, detail)
        secret = own.client_secret.get_secret_value() if own.client_secret else ""
        return await check_token(cls.name, cls(own, session).fetch_token, secret=secret)


class ApiKeyConnector(CarrierConnector):
    """A carrier API that takes an API key header (``key_header``) on every call.

    ``track`` makes its calls one after the other. After a 401/403 or 429 the remaining
    numbers get the same error without calling the carrier again: the key or the quota would
    refuse them too. Subclasses implement ``get_one`` (one call for one number) or, when the
    API takes several numbers per call, ``track_batch`` (up to ``batch_size`` numbers, errors
    as outcomes).
    """

    _settings: ApiKeyCarrierSettings
    #: The header the key goes in.
    key_header: ClassVar[str]
    #: What the carrier calls its key in messages ("API key", "Okapi key").
    key_name: ClassVar[str] = "API key"
    #: The tracking path, appended to the origin.
    path: ClassVar[str]
    #: A well-formed number the carrier will not know, tracked to check the key.
    probe_number: ClassVar[str]
    #: Added to the check's "rate limited" message (what the limit probably is).
    quota_hint: ClassVar[str] = ""

    def __init__(self, settings: ApiKeyCarrierSettings, session: aiohttp.ClientSession) -> None:
        if not settings.configured():
            prefix = settings.model_config.get("env_prefix", "")
            raise ValueError(f"{self.carrier_name} connector needs {prefix}API_KEY")
        super().__init__(settings, session)
        self._url = settings.resolved_base_url() + self.path

    @classmethod
    def credential_variables(cls) -> tuple[str, ...]:
        return (f"{cls.env_prefix()}API_KEY",)

    def key_headers(self) -> dict[str, str]:
        """The headers of every call: the key and ``Accept: application/json``."""
        key = self._settings.api_key.get_secret_value()  # type: ignore[union-attr]
        return {self.key_header: key, "Accept": "application/json"}

    async def track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        """Calls of up to ``batch_size`` numbers, in order, until the key or quota is refused."""
        outcomes: dict[str, TrackOutcome] = {}
        stop: CourierError | None = None
        for batch in self.batches(list(dict.fromkeys(numbers))):
            if stop is not None:
                outcomes.update(dict.fromkeys(batch, stop))
                continue
            answered = await self.track_batch(batch, hints)
            outcomes.update(answered)
            for outcome in answered.values():
                if isinstance(outcome, CourierAuthError | CourierRateLimited):
                    stop = outcome
                    break
        return outcomes

    async def track_batch(
        self, batch: Sequence[str], hints: Mapping[str, TrackingHints] | None = None
    ) -> dict[str, TrackOutcome]:
        """One call (``get_one``) per number, in order, errors as outcomes; carriers whose API
        takes several numbers per call override this."""
        return {number: await self.track_one(number) for number in batch}

    async def track_one(self, number: str) -> TrackOutcome:
        """``get_one`` within the timeout; a failed call is the number's outcome."""
        try:
            return await guarded(lambda: self.get_one(number), timeout=self._settings.timeout)
        except CourierError as exc:
            return exc

    async def get_one(self, number: str) -> TrackOutcome:
        """One tracking call for one number (carriers that track one number per call)."""
        raise NotImplementedError

    @classmethod
    def build(
        cls, settings: ApiKeyCarrierSettings | None, session: aiohttp.ClientSession
    ) -> Self | None:
        """The connector, or ``None`` when no key is configured (see ``own_settings``)."""
        own: ApiKeyCarrierSettings = cls.own_settings(settings)
        return cls(own, session) if own.configured() else None

    @classmethod
    async def check_credentials(
        cls, settings: ApiKeyCarrierSettings | None, session: aiohttp.ClientSession
    ) -> CredentialCheck:
        """One tracking call for ``probe_number``: any answer of the carrier's, even "not found",
        means the key was accepted. The key is never shown."""
        own: ApiKeyCarrierSettings = cls.own_settings(settings)
        if not own.configured():
            needed = " and ".join(cls.credential_variables())
            return CredentialCheck(cls.name, False, False, f"not configured: set {needed}")
        outcome = (await cls(own, session).track_batch([cls.probe_number]))[cls.probe_number]
        where, key = own.resolved_base_url(), cls.key_name
        if isinstance(outcome, TrackingResult | TrackingNumberNotFound):
            return CredentialCheck(cls.name, True, True, f"{key} accepted by {where}")
        if isinstance(outcome, CourierAuthError):
            return CredentialCheck(cls.name, True, False, f"{key} rejected by {where} ({outcome})")
        if isinstance(outcome, CourierRateLimited):
            wait = "" if outcome.retry_after is None else f", retry after {outcome.retry_after:g} s"
            detail = f"could not check: rate limited by {where}{wait}{cls.quota_hint}"
            return CredentialCheck(cls.name, True, False, detail)
        return CredentialCheck(cls.name, True, False, f"could not check against {where}: {outcome}")
