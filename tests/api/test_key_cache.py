"""``accounts.auth.KeyCache``'s header shortcut: a repeated ``Authorization`` header is
answered without hashing its key, for no longer than the key's lookup is trusted."""

from __future__ import annotations

import datetime as dt

from shiptrack.accounts.auth import KeyCache
from shiptrack.accounts.repository import Account


def test_a_header_seen_valid_is_trusted_no_longer_than_its_key_lookup():
    """The header shortcut (no parsing, no hashing) ends with the key hash's entry: a key
    revoked since its lookup is looked up again after ``seconds``, as before."""
    now = [0.0]
    cache = KeyCache(clock=lambda: now[0], seconds=10.0)
    account = Account("a", "acme", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    cache.put("digest", account, 0.0)
    cache.remember("Bearer apik_x", "digest")
    assert cache.valid("Bearer apik_x", 9.9) == account
    assert cache.valid("Bearer apik_y", 9.9) is None
    assert cache.valid("Bearer apik_x", 10.0) is None
    cache.put("unknown", None, 0.0)
    cache.remember("Bearer apik_z", "unknown")  # an unknown key is never vouched for
    assert cache.valid("Bearer apik_z", 1.0) is None
    cache.put("digest", account, 20.0)
    cache.remember("Bearer apik_x", "digest")
    cache.clear()
    assert cache.valid("Bearer apik_x", 21.0) is None
