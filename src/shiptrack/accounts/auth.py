"""Bearer authentication with Ship24's error codes, and a short-lived cache of keys.

The cache keeps API calls off the keys table: a key is looked up at most once per
``auth_cache_seconds`` (default ``CACHE_SECONDS``) per process, and an entry is trusted for
that long after the lookup that made it, never longer, so a key revoked (``shiptrack keys
revoke``, another process) stops working in every API process within that time
(tests/api/test_key_revocation.py checks it across processes). Unknown keys are cached too,
and an address that failed authentication too often gets 429 before any lookup
(``AuthFailureLimiter``).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from shiptrack.accounts.keys import hash_key
from shiptrack.accounts.ratelimit import AuthFailureLimiter
from shiptrack.accounts.repository import Account, account_for_key_hash
from shiptrack.db.engine import Database
from shiptrack.errors import ApiError

CACHE_SECONDS = 10.0
_MAX_CACHED = 10_000


class KeyCache:
    """Key hash → account (``None``: unknown), for ``seconds``; past ``max_entries`` the
    least recently used entry is dropped (never the whole cache: guessed keys filling it must
    not send every known key back to the database)."""

    def __init__(
        self,
        max_entries: int = _MAX_CACHED,
        clock: Callable[[], float] = time.monotonic,
        seconds: float = CACHE_SECONDS,
    ) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self.seconds = seconds
        self._entries: OrderedDict[str, tuple[Account | None, float]] = OrderedDict()
        #: ``Authorization`` header → (account, expiry) for keys found valid: a repeated
        #: request skips parsing and hashing its key. Same expiry as the key hash's entry
        #: (revocation is seen as soon), same bound; emptied when full, not trimmed (the
        #: hash entries above keep the accounts). Only valid keys get here, so guesses
        #: cannot fill it; the keys stay in memory while trusted, never logged or stored.
        self._headers: dict[str, tuple[Account, float]] = {}

    def valid(self, authorization: str, now: float) -> Account | None:
        """The account of a header whose key was found valid less than ``seconds`` ago."""
        entry = self._headers.get(authorization)
        if entry is None:
            return None
        if entry[1] <= now:
            del self._headers[authorization]
            return None
        return entry[0]

    def remember(self, authorization: str, key_hash: str) -> None:
        """Let ``authorization`` (whose key hashes to ``key_hash``) be answered by
        :meth:`valid` while the hash's entry holds an account, and no longer."""
        entry = self._entries.get(key_hash)
        if entry is None or entry[0] is None:
            return
        if len(self._headers) >= self.max_entries:
            self._headers.clear()
        self._headers[authorization] = (entry[0], entry[1])

    def get(self, key_hash: str, now: float) -> tuple[bool, Account | None]:
        entry = self._entries.get(key_hash)
        if entry is None or entry[1] <= now:
            return False, None
        self._entries.move_to_end(key_hash)
        return True, entry[0]

    def put(self, key_hash: str, account: Account | None, now: float) -> None:
        self._entries[key_hash] = (account, now + self.seconds)
        self._entries.move_to_end(key_hash)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def vouched(self, key_hash: str) -> bool:
        """Whether the key was valid when last looked up, however long ago (while the entry
        is kept): its holder is no guesser."""
        entry = self._entries.get(key_hash)
        return entry is not None and entry[0] is not None

    def clear(self) -> None:
        self._entries.clear()
        self._headers.clear()


def bearer_key(authorization: str | None) -> str:
    """The API key from an ``Authorization`` header, or the Ship24 auth error."""
    if authorization is None or not authorization.strip():
        raise ApiError(
            400,
            "auth_missing_header",
            "The Authorization header is missing. Send 'Authorization: Bearer <your API key>'.",
        )
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key or " " in key:
        raise ApiError(
            400,
            "auth_invalid_header",
            "The Authorization header is malformed. Send 'Authorization: Bearer <your API key>' "
            "(the 'Bearer ' prefix is required).",
        )
    return key


async def authenticate(
    db: Database,
    cache: KeyCache,
    authorization: str | None,
    *,
    client: str | None = None,
    failures: AuthFailureLimiter | None = None,
) -> Account:
    """The account of the request's key. ``client`` is the client's address: with
    ``failures``, a key this process has not seen valid is charged to the address as a
    failure *before* it is looked up — refused with 429, without a lookup, once the address
    has used up its failures — and refunded when it turns out valid. Keys seen valid (cached,
    or expired from the cache but still remembered) are never charged, so a guesser sharing
    an address does not lock out the clients it shares it with."""
    now = cache.clock()
    if authorization is not None:
        known = cache.valid(authorization, now)
        if known is not None:
            return known
    key = bearer_key(authorization)
    digest = hash_key(key)
    hit, account = cache.get(digest, now)
    charged = failures if account is None and not cache.vouched(digest) else None
    if charged is not None:
        charged.charge(client)
    if not hit:
        async with db.read() as conn:
            account = await account_for_key_hash(conn, digest)
        cache.put(digest, account, now)
        if charged is not None and account is not None:
            charged.refund(client)
    if account is not None and authorization is not None:
        cache.remember(authorization, digest)
    if account is None:
        raise ApiError(
            401,
            "auth_invalid_api_key",
            "The API key is not valid or has been revoked. Check the key, or create one with "
            "'shiptrack keys create ACCOUNT'.",
        )
    return account
