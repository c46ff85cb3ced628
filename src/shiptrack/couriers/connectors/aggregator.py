"""What the upstream aggregators share (Ship24, 17TRACK, AfterShip, TrackingMore).

An upstream is a tracking service that covers many couriers on the user's own key. Unlike a
carrier's API it must be told about a number first (a *registration*, which is what the
provider bills), then answers polls for it and pushes updates to a callback. shiptrack keeps
one registration per (source, number, courier) whatever the number of trackers and accounts
following it (``sources/registrations.py``), and stops it when none needs it any more.

``UpstreamConnector`` is a ``Connector`` for the engine like the carriers': ``track`` first
makes sure each number is registered (through its ``book``, the registrations table once
``sources.runtime`` attached it; an in-memory book before, e.g. for ``couriers check``), then
polls the provider for the registered ones. A subclass (one package per provider) implements
the provider's calls — ``register``, ``poll``, ``unregister`` — and its push protocol:
``verify_push`` (the documented signature scheme) and ``parse_push``. Every HTTP call goes
through ``UpstreamConnector.call``, which keeps to the provider's documented per-endpoint
limits (``pacing.py``).

The terms the providers' packages share (a registration, a push message, envelopes and
signatures) live in ``upstream_terms.py``, the pacing in ``pacing.py``, the HTTP client in
``keepalive.py``. What stays is about 500 lines on purpose: the connector's contract with the
engine, the registration book and budget it is handed, and the paced calls they make are one
class, read together.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hmac
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, TypeVar

import orjson
from prometheus_client import Counter

import shiptrack
from shiptrack.couriers.connectors.answer_cache import AnswerCache
from shiptrack.couriers.connectors.base import CarrierConnector
from shiptrack.couriers.connectors.carrier_settings import UpstreamSettings
from shiptrack.couriers.connectors.credentials import CredentialCheck
from shiptrack.couriers.connectors.http import error_body, error_for_status, guarded
from shiptrack.couriers.connectors.keepalive import Origin
from shiptrack.couriers.connectors.pacing import (
    DEADLINE,
    InFlight,
    Pacer,
    max_wait,
    paced,
    rate_refusal,
    retry_after,
)
from shiptrack.couriers.connectors.protocol import (
    BudgetExhausted,
    CourierAuthError,
    CourierError,
    CourierRateLimited,
    CourierResponseInvalid,
    SourceInfo,
    TrackingHints,
    TrackingNumberNotFound,
    TrackOutcome,
    WaitingForPush,
)
from shiptrack.couriers.connectors.upstream_terms import (
    PushMessage,
    RegisterOutcome,
    Registration,
)

if TYPE_CHECKING:
    import aiohttp

    from shiptrack.config import Settings

#: Every HTTP call an upstream connector makes (served at /metrics with the sources' other
#: metrics, ``shiptrack.sources.metrics``).
UPSTREAM_CALLS = Counter(
    "shiptrack_upstream_calls_total",
    "HTTP calls to upstream providers, by source, call (register, poll, stop, probe) and "
    "outcome (ok, error)",
    ["source", "call", "outcome"],
)


T = TypeVar("T")

#: What an upstream call says it is (the process's outbound session says the same).
USER_AGENT = f"shiptrack/{shiptrack.__version__}"

#: Numbers the engine hands an upstream's ``track`` at once (``ConnectorInfo.batch_size``):
#: one pass through the registration book (a read, and for new numbers two short write
#: transactions) for all of them, split inside into the provider's per-call maximum (40
#: for 17TRACK and TrackingMore, 50 for AfterShip's list; one a call for Ship24's track call,
#: 100 for its bulk create), those calls sent concurrently within the provider's limits.
TRACK_BATCH = 200


class RegistrationBook(Protocol):
    """Where registrations live; ``ensure`` registers what is missing through ``connector``."""

    async def ensure(
        self,
        connector: UpstreamConnector,
        wanted: Mapping[str, str],
        hints: Mapping[str, TrackingHints],
    ) -> dict[str, Registration | CourierError]: ...


class MemoryBook:
    """Registrations kept in memory (a process without a database: ``couriers check``)."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], Registration] = {}

    async def ensure(
        self,
        connector: UpstreamConnector,
        wanted: Mapping[str, str],
        hints: Mapping[str, TrackingHints],
    ) -> dict[str, Registration | CourierError]:
        missing = {n: c for n, c in wanted.items() if (n, c) not in self.known}
        answered = await connector.register(missing, hints) if missing else {}
        out: dict[str, Registration | CourierError] = {}
        for number, courier in wanted.items():
            outcome = answered.get(number)
            if isinstance(outcome, CourierError):
                out[number] = outcome
                continue
            if number in answered:
                self.known[(number, courier)] = Registration(number, courier, outcome)
            out[number] = self.known[(number, courier)]
        return out


class SourceBudget(Protocol):
    """What a source may still spend (``sources.budgets`` keeps it in the database, shared by
    every process). ``spend`` takes up to ``count`` of a kind (``registration`` or ``call``):
    how many it granted and, when fewer than asked, the ``BudgetExhausted`` for the rest."""

    async def spend(self, kind: str, count: int = 1) -> tuple[int, BudgetExhausted | None]: ...


class Unlimited:
    """No budget configured (or no database: ``couriers check``): everything is granted."""

    async def spend(self, kind: str, count: int = 1) -> tuple[int, BudgetExhausted | None]:
        return count, None


class UpstreamConnector(CarrierConnector):
    """One upstream aggregator over the shared aiohttp session.

    Subclasses set ``name``, ``carrier_name`` (the provider), ``source_code``,
    ``settings_class``, ``key_header`` and ``key_prefix`` and implement the provider's calls.
    """

    _settings: UpstreamSettings
    batch_size = TRACK_BATCH
    #: The header the API key goes in, and what precedes the key there ("Bearer ").
    key_header: ClassVar[str]
    key_prefix: ClassVar[str] = ""
    #: The API reference this connector was built from (docs/connectors.md names it).
    api_version: ClassVar[str]
    #: The provider's decoded webhook body → its content (the package's ``parse_webhook``).
    webhook_parser: ClassVar[Callable[[object], PushMessage]]
    #: Whether the provider's answers carry scans its codes do not decide, so that the status
    #: normaliser reads their texts from the first answer on (Ship24: ``statusCode`` null).
    reads_texts: ClassVar[bool] = False

    def __init__(self, settings: UpstreamSettings, session: aiohttp.ClientSession) -> None:
        super().__init__(settings, session)
        self.info = dataclasses.replace(self.info, kind="aggregator")
        self.book: RegistrationBook = MemoryBook()
        #: The operator's budgets (``sources.runtime`` attaches the database's).
        self.budget: SourceBudget = Unlimited()
        self.base = settings.resolved_base_url()
        self.answers = AnswerCache()
        #: One ``Pacer`` per rate-limited endpoint: the provider's documented limits, or
        #: the operator's ``RATE_LIMITS`` (0: that endpoint is not paced).
        self.pacers = {
            name: Pacer(rate) for name, rate in settings.endpoint_limits().items() if rate > 0
        }
        #: Calls waiting for their answer at once (``MAX_IN_FLIGHT``).
        self.in_flight = InFlight(settings.max_in_flight)
        #: ``shiptrack_upstream_calls_total``'s children, by (call, outcome).
        self._calls: dict[tuple[str, str], Any] = {}

    # --- what it declares ------------------------------------------------------------------

    @classmethod
    def source_info(cls) -> SourceInfo:
        return SourceInfo(
            name=cls.name,
            title=cls.carrier_name,
            kind="aggregator",
            source_code=cls.source_code,
            courier_codes=cls.courier_codes,
            enable="set " + " and ".join(cls.credential_variables()),
        )

    @classmethod
    def credential_variables(cls) -> tuple[str, ...]:
        return (f"{cls.env_prefix()}API_KEY",)

    def warm(self) -> None:
        """Load, at start, what the first answers need: the status normaliser's rules and
        model for a provider whose scans it reads (``reads_texts``): ~0.4 s of CPU that
        would otherwise stall the event loop on the first answer after every start, and be
        kept out of the collector's frozen objects (``app.lifespan``'s ``gc.freeze``)."""
        if self.reads_texts:
            from shiptrack.status.classifier import classifier

            classifier()

    # --- the engine's side -----------------------------------------------------------------

    def courier_for(self, hints: TrackingHints | None) -> str:
        """The Ship24 courier code a number is registered for: the tracker's first courier
        code ("" without one: the provider detects the courier)."""
        return hints.courier_codes[0] if hints is not None and hints.courier_codes else ""

    async def track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        """Register the numbers not registered yet (once per upstream), then poll. A call
        waits for a slot of its endpoint's limit only while the answer can still come within
        the engine's timeout for the whole (``pacing.DEADLINE``)."""
        deadline = DEADLINE.set(time.monotonic() + 0.75 * self._settings.timeout)
        try:
            return await self._track(numbers, hints)
        finally:
            DEADLINE.reset(deadline)

    async def _track(
        self, numbers: Sequence[str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, TrackOutcome]:
        wanted = {n: self.courier_for(hints.get(n)) for n in dict.fromkeys(numbers)}
        registrations = await self.book.ensure(self, wanted, hints)
        outcomes: dict[str, TrackOutcome] = {}
        ready: list[Registration] = []
        for number, registration in registrations.items():
            if isinstance(registration, CourierError):
                outcomes[number] = registration
            else:
                ready.append(registration)
        if ready:
            try:
                outcomes.update(await self.poll(ready))
            except CourierError as exc:
                outcomes.update(dict.fromkeys((r.tracking_number for r in ready), exc))
        if self.secret() is not None:
            for number, outcome in outcomes.items():
                if type(outcome) is TrackingNumberNotFound:
                    outcomes[number] = WaitingForPush(f"{self.carrier_name}: {outcome}")
        return outcomes

    # --- the provider's calls (subclasses) -------------------------------------------------

    async def register(
        self, wanted: Mapping[str, str], hints: Mapping[str, TrackingHints]
    ) -> dict[str, RegisterOutcome]:
        """Register ``number → Ship24 courier code ("" = detect)`` with the provider; a
        number the provider already had counts as registered. By default one ``create``
        call per number, concurrently (providers with a batch call override this)."""
        numbers = list(wanted)
        answers = await asyncio.gather(
            *(self._outcome(self.create(n, wanted[n], hints.get(n))) for n in numbers)
        )
        return dict(zip(numbers, answers, strict=True))

    async def create(self, number: str, courier: str, hints: TrackingHints | None) -> str | None:
        """Register one number: the provider's id of it (raises ``CourierError``)."""
        raise NotImplementedError

    async def poll(self, registrations: Sequence[Registration]) -> dict[str, TrackOutcome]:
        """What the provider knows now about registered numbers. By default one ``fetch``
        call per number, concurrently (providers with a batch call override this)."""
        answers = await asyncio.gather(*(self._outcome(self.fetch(r)) for r in registrations))
        return {r.tracking_number: a for r, a in zip(registrations, answers, strict=True)}

    async def fetch(self, registration: Registration) -> TrackOutcome:
        """What the provider knows about one registered number (raises ``CourierError``)."""
        raise NotImplementedError

    async def in_batches(
        self,
        registrations: Sequence[Registration],
        size: int,
        poll: Callable[[Sequence[Registration]], Awaitable[dict[str, TrackOutcome]]],
    ) -> dict[str, TrackOutcome]:
        """``poll`` for each batch of at most ``size`` (the provider's limit per call),
        concurrently; a batch whose call fails gives its error to each of its numbers."""
        batches = [registrations[i : i + size] for i in range(0, len(registrations), size)]
        out: dict[str, TrackOutcome] = {}
        answers = await asyncio.gather(*(self._outcome(poll(batch)) for batch in batches))
        for batch, answer in zip(batches, answers, strict=True):
            if isinstance(answer, CourierError):
                out.update(dict.fromkeys((r.tracking_number for r in batch), answer))
            else:
                out.update(answer)
        return out

    @staticmethod
    async def _outcome(call: Awaitable[T]) -> T | CourierError:
        try:
            return await call
        except CourierError as exc:
            return exc

    async def unregister(self, registration: Registration) -> None:
        """Stop the provider's tracking of a number (its stop or delete call); a number the
        provider no longer knows counts as stopped. Raises ``CourierError`` otherwise."""
        raise NotImplementedError

    def verify_push(self, headers: Mapping[str, str], body: bytes) -> bool:
        """True when a callback carries the provider's documented signature."""
        raise NotImplementedError

    def parse_push(self, body: bytes) -> PushMessage:
        """A verified callback's content (``CourierResponseInvalid`` when it is not JSON or
        breaks the provider's documented shape, as ``webhook_parser`` reads it)."""
        try:
            decoded = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise CourierResponseInvalid(f"not JSON: {exc}") from None
        return type(self).webhook_parser(decoded)

    async def probe(self) -> None:
        """One cheap authenticated call for ``couriers check`` (raises ``CourierError``)."""
        raise NotImplementedError

    # --- helpers ---------------------------------------------------------------------------

    def secret(self) -> bytes | None:
        secret = self._settings.webhook_secret
        value = secret.get_secret_value() if secret is not None else ""
        return value.encode() if value else None

    @staticmethod
    def same(given: str | None, expected: str) -> bool:
        """Constant-time comparison of a signature or secret."""
        return given is not None and hmac.compare_digest(given.encode(), expected.encode())

    def headers(self) -> dict[str, str]:
        key = self._settings.api_key.get_secret_value()  # type: ignore[union-attr]
        return {
            self.key_header: f"{self.key_prefix}{key}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        }

    @functools.cached_property
    def _headers(self) -> dict[str, str]:
        """``headers()``, built once (every call sends the same)."""
        return self.headers()

    @functools.cached_property
    def _http(self) -> Origin:
        """The provider's origin, its keep-alive connections (``keepalive.py``: a lean
        HTTP/1.1 client; every call of an upstream goes to the one origin)."""
        return Origin(self.base, {**self._headers, "User-Agent": USER_AGENT})

    def _count(self, what: str, outcome: str) -> None:
        """One call more in ``shiptrack_upstream_calls_total`` (the label's child kept)."""
        child = self._calls.get((what, outcome))
        if child is None:
            child = self._calls[(what, outcome)] = UPSTREAM_CALLS.labels(self.name, what, outcome)
        child.inc()

    async def _send(
        self,
        method: str,
        path: str,
        data: bytes | None,
        params: Mapping[str, str] | None,
        raw: bool,
    ) -> tuple[int, Any]:
        """One HTTP request (``call`` says when): ``(status, body)``, decoded unless ``raw``
        (then the bytes of a 2xx answer as they came)."""
        async with self.in_flight:
            answer = await self._http.request(method, path, params=params, body=data)
        status = answer.status
        if status in (401, 403, 429) or status >= 500:
            _, text = error_body(answer.body)
            error = error_for_status(status, retry_after=retry_after(answer), detail=text)
            assert error is not None
            raise error
        if status >= 300:
            return status, error_body(answer.body)[0]
        if raw:
            return status, answer.body
        try:
            return status, orjson.loads(answer.body)
        except orjson.JSONDecodeError as exc:
            raise CourierResponseInvalid(f"body is not JSON: {exc}") from None

    async def aclose(self) -> None:
        """Close the connections to the provider."""
        if "_http" in self.__dict__:
            self._http.close()

    async def call(
        self,
        what: str,
        method: str,
        path: str,
        *,
        json: object = None,
        params: Mapping[str, str] | None = None,
        endpoint: str | None = None,
        raw: bool = False,
        timeout: float | None = None,
    ) -> tuple[int, Any]:
        """One API call (``what``: register, poll, stop, probe — counted per source in
        ``shiptrack_upstream_calls_total``): ``(HTTP status, decoded JSON body)`` — with
        ``raw``, a 2xx body comes back as the bytes it came as (``AnswerCache.read_body``
        decodes it only when it changed). 401/403, 429 and 5xx raise their typed
        ``CourierError``; other statuses come back for the provider's parser (its error
        envelopes say what went wrong). A call to an ``endpoint`` the settings limit
        (``endpoint_limits()``) waits for its slot and is sent again after a 429
        (``pacing.paced``). ``json`` is serialised once, with orjson, however many times
        the call is sent. ``timeout``: seconds for its answer (default the settings').
        """
        data = orjson.dumps(json) if json is not None else None
        spent = what == "probe"
        timeout = self._settings.timeout if timeout is None else timeout

        async def attempt() -> tuple[int, Any]:
            # The operator's call budget counts a call once it is sent (not when deferred;
            # once however many 429s it took).
            nonlocal spent
            if not spent:
                _, refused = await self.budget.spend("call")
                if refused is not None:
                    raise refused
                spent = True
            return await guarded(
                lambda: self._send(method, path, data, params, raw), timeout=timeout
            )

        pacer = self.pacers.get(endpoint) if endpoint is not None else None
        try:
            answer = await paced(
                pacer,
                attempt,
                max_wait=max_wait(timeout),
                refuse=lambda: rate_refusal(self.carrier_name, str(endpoint), pacer),  # type: ignore[arg-type]
                on_429=lambda: self._count(what, "error"),
                default_hold=self._settings.backoff(),
            )
        except BudgetExhausted:
            raise
        except CourierError:
            self._count(what, "error")
            raise
        self._count(what, "ok" if answer[0] < 300 else "error")
        return answer

    # --- factories -------------------------------------------------------------------------

    @classmethod
    def build(
        cls, settings: Settings | UpstreamSettings | None, session: aiohttp.ClientSession
    ) -> Self | None:
        """The connector, or ``None`` without an API key (see ``own_settings``)."""
        own: UpstreamSettings = cls.own_settings(settings)
        return cls(own, session) if own.configured() else None

    @classmethod
    async def check_credentials(
        cls, settings: Settings | UpstreamSettings | None, session: aiohttp.ClientSession
    ) -> CredentialCheck:
        """One cheap authenticated call (``probe``); the key is never shown."""
        own: UpstreamSettings = cls.own_settings(settings)
        if not own.configured():
            return CredentialCheck(cls.name, False, False, f"{cls.env_prefix()}API_KEY is not set")
        where = own.resolved_base_url()
        connector = cls(own, session)
        try:
            await connector.probe()
        except CourierAuthError as exc:
            return CredentialCheck(cls.name, True, False, f"API key rejected by {where} ({exc})")
        except CourierRateLimited:
            return CredentialCheck(
                cls.name, True, False, f"could not check: rate limited by {where}"
            )
        except CourierError as exc:
            return CredentialCheck(cls.name, True, False, f"could not check against {where}: {exc}")
        finally:
            await connector.aclose()
        return CredentialCheck(cls.name, True, True, f"API key accepted by {where}")
