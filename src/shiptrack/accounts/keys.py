"""API keys: ``apik_`` plus 40 random URL-safe characters; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "apik_"


def generate_key() -> str:
    return PREFIX + secrets.token_urlsafe(30)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def display_prefix(key: str) -> str:
    """What listings show of a key: enough to tell keys apart, too little to use."""
    return key[: len(PREFIX) + 6]
