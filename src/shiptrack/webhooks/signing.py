"""Webhook secrets and Standard Webhooks signatures (https://www.standardwebhooks.com).

A secret is ``whsec_`` + base64 of 32 random bytes: the HMAC key is the decoded bytes, and
the whole string is also what the ``Authorization: Bearer`` header carries, so a Ship24
receiver comparing the bearer token and a Standard Webhooks library verifying signatures
both work from the one value.

Signature: ``v1,`` + base64(HMAC-SHA256(key, f"{webhook-id}.{webhook-timestamp}.{body}")).
While a rotated secret overlaps, the header holds one signature per secret, separated by a
space (the new one first); verifiers accept a message when any signature matches.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import secrets
from collections.abc import Sequence
from typing import Any

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a secret (the base64 after ``whsec_``), as Standard Webhooks reads it."""
    encoded = secret[len(SECRET_PREFIX) :] if secret.startswith(SECRET_PREFIX) else secret
    key = base64.b64decode(encoded + "==")
    if not key:
        raise ValueError("a webhook secret may not be empty")
    return key


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    signed = b"%s.%d.%s" % (message_id.encode(), timestamp, body)
    return "v1," + base64.b64encode(hmac.digest(key, signed, "sha256")).decode()


def signature_header(keys: Sequence[bytes], message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: one ``v1,…`` signature per key, space-separated."""
    return " ".join(signature(key, message_id, timestamp, body) for key in keys)


def secret_preview(secret: str) -> str:
    """Enough of a secret to tell two apart in listings (``whsec_AbCd…``), never the whole."""
    return secret[: len(SECRET_PREFIX) + 4] + "…"


def active_secrets(endpoint: Any, now: dt.datetime) -> tuple[str, list[str]]:
    """The bearer token and the signing secrets of an endpoint row at ``now``.

    During a rotation's overlap the bearer keeps the previous secret (what deployed receivers
    compare) and both secrets sign, the new one first.
    """
    previous = endpoint.previous_secret
    expires = endpoint.previous_secret_expires_at
    if previous and expires is not None and expires > now:
        return previous, [endpoint.secret, previous]
    return endpoint.secret, [endpoint.secret]
