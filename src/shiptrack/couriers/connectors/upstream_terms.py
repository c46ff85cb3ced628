"""The terms every upstream aggregator's package shares (Ship24, 17TRACK, AfterShip,
TrackingMore): a registration, a parsed push, what registering a number gives, the couriers
an aggregator is asked about, and the pieces of their envelopes and signatures. The connector
built on them is ``aggregator.UpstreamConnector``."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from shiptrack.couriers import catalogue
from shiptrack.couriers.connectors.http import error_for_status
from shiptrack.couriers.connectors.protocol import (
    CourierError,
    CourierResponseInvalid,
    TrackingResult,
)


@functools.cache
def every_catalogue_code() -> frozenset[str]:
    """Every courier code but shiptrack's sandbox: an aggregator detects the courier itself
    when it is not told, so it is asked about any of them."""
    return frozenset(c.code for c in catalogue.all_couriers() if c.code != "sandbox")


@dataclass(frozen=True, slots=True)
class Registration:
    """A number registered with one upstream."""

    tracking_number: str
    #: The Ship24 courier code it was registered for ("" = the provider detects it).
    courier_code: str
    #: The provider's id of the registration, when it has one.
    upstream_id: str | None = None


@dataclass(slots=True)
class PushMessage:
    """A verified push callback, parsed: what it says about which numbers."""

    #: Idempotency key: the provider's message id, or None to use the body's SHA-256.
    key: str | None
    results: list[TrackingResult] = field(default_factory=list)
    #: Numbers the provider says it stopped tracking (17TRACK's ``TRACKING_STOPPED``).
    stopped: list[str] = field(default_factory=list)


#: ``number → provider id`` (None when it gives none) or the error that refused it.
RegisterOutcome = str | None | CourierError


def envelope_error(status: int, detail: str) -> CourierError:
    """The typed error of a provider's refusal that ``call`` handed back."""
    return error_for_status(status, detail=detail) or CourierResponseInvalid(detail)


def hmac_base64(secret: bytes, body: bytes) -> str:
    """Base64 of HMAC-SHA256(secret, body): AfterShip's and TrackingMore's push signature."""
    return base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()


def meta_envelope(body: object) -> tuple[int | None, str, Any]:
    """``(meta.code, meta.message, data)`` of a ``{"meta", "data"}`` answer (AfterShip,
    TrackingMore)."""
    from shiptrack.couriers.connectors.parsing import json_object

    answer = json_object(body, "answer")
    head = answer.get("meta") if isinstance(answer.get("meta"), dict) else {}
    code = head.get("code")
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    return code, str(head.get("message") or ""), answer.get("data")
