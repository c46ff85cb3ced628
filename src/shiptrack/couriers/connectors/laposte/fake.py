"""A fake La Poste Suivi v2 server for tests and demos (127.0.0.1 only).

``GET /suivi/v2/idships/{id1,…,id10}?lang=…`` with the ``X-Okapi-Key`` header, answered from a
journey source in La Poste's documented shape: one object for one id (HTTP 200, or 404 with
``returnCode`` 104 when unknown, 400 when malformed), an array for several (HTTP 207, found and
unknown items mixed). Gateway errors use the Okapi ``{code, message}`` body: 401 for a wrong
key, 429 with ``Retry-After``, 503. Tests flip ``app[FAKE_STATE].faults`` to inject failures.

Rendering (``render_item``) is the inverse of ``parse``: each event's Ship24 status code picks
a La Poste event code (the event's own ``carrier_status_code`` when it agrees). Ship24 codes
La Poste has no event for come back as the nearest one (``PB1`` "Problème en cours" for a
refusal or a loss, ``ET1`` for proposals), exactly as the real API would lose them.
"""

from __future__ import annotations

import re
from typing import Any

import orjson
from aiohttp import web

from shiptrack.couriers.connectors.fakesource import (
    FAKE_STATE,
    Fault,
    JourneySource,
    call_failure,
    carrier_code_for,
    fake_app,
    look_up,
    malformed_response,
    new_state,
    ordered_events,
    retry_after_headers,
)
from shiptrack.couriers.connectors.fakespec import FakeSpec, api_key_app, says
from shiptrack.couriers.connectors.laposte.statuses import (
    EVENT_CODES,
    HOLDER_COURIER_CODES,
    PARTNER_COURIER_CODES,
)
from shiptrack.couriers.connectors.laposte.statuses import (
    EVENT_CODES as _EVENT_CODES,
)
from shiptrack.couriers.connectors.protocol import CourierError, CourierEvent, TrackingResult
from shiptrack.couriers.detection.checkdigits import s10_check

__all__ = ["FAKE", "FAKE_STATE", "create_app", "render_item"]

#: The fake checks the key with ``FakeState.credentials_match(API_KEY_ID, header)``.
API_KEY_ID = "okapi-key"
MAX_IDS = 10
_ID = re.compile(r"^[A-Za-z0-9]{11,15}$")

_PREFERRED: dict[str | None, str] = {
    None: "ET1",
    "transit_handover": "PC1",
    "exception_return": "RE1",
}
#: Ship24 codes La Poste has no event code for → the nearest code it would send.
_NEAREST: dict[str, str] = {
    "data_order_cancelled": "PB1",
    "data_delivery_proposed": "ET1",
    "data_delivery_decided": "ET1",
    "transit_origin_country_departure": "ET2",
    "customs_rejected": "DO3",
    "delivery_refused": "PB1",
    "exception_lost": "PB1",
    "exception_discarded": "PB1",
}
_PARTNER_OF_COURIER = {courier: name for name, courier in reversed(PARTNER_COURIER_CODES)}
_HOLDER_OF_COURIER = {courier: holder for holder, courier in HOLDER_COURIER_CODES.items()}
_PRODUCT_OF_HOLDER = {1: "Lettre suivie", 3: "Chronopost", 4: "Colissimo"}
_STEPS = (
    "Pris en charge",
    "En cours d'acheminement",
    "Arrivé sur le site de distribution",
    "En cours de distribution",
    "Livré",
)
_STEP_OF_CODE = {
    "DR1": 0,
    "PC1": 1,
    "PC2": 1,
    "ET1": 2,
    "ET2": 2,
    "ET3": 2,
    "ET4": 2,
    "DO1": 2,
    "DO2": 2,
    "DO3": 2,
    "EP1": 3,
    "MD2": 4,
    "AG1": 4,
    "ND1": 4,
    "DI1": 5,
    "DI2": 5,
}
NOT_YET = (
    "Votre suivi n'est pas encore disponible. Si vous avez déposé votre envoi, les "
    "informations de suivi peuvent être affichées avec un délai, veuillez réessayer "
    "ultérieurement."
)
INVALID = (
    "Le numéro que vous avez saisi n'est pas valide. Nous vous invitons à vérifier votre "
    "saisie, en particulier le nombre de caractères."
)


def create_app(source: JourneySource, *, api_key: str) -> web.Application:
    """The fake La Poste app; ``app[FAKE_STATE]`` holds the fault switch and request log."""
    state = new_state(source, client_id=API_KEY_ID, client_secret=api_key, token_lifetime=0)
    return fake_app(state, web.get("/suivi/v2/idships/{ids}", _track))


async def _track(request: web.Request) -> web.Response:
    state = request.app[FAKE_STATE]
    if not state.credentials_match(API_KEY_ID, request.headers.get("X-Okapi-Key")):
        return _gateway_error(401, "UNAUTHORIZED", "Invalid or missing X-Okapi-Key")
    ids = [part.strip() for part in request.match_info["ids"].split(",") if part.strip()]
    lang = request.query.get("lang", "fr_FR")
    fault = state.record_track(ids)
    if fault is not None:
        return _fault(fault)
    if not ids or len(ids) > MAX_IDS:
        body = {
            "lang": lang,
            "scope": "open",
            "returnCode": 400,
            "returnMessage": f"Entre 1 et {MAX_IDS} identifiants sont attendus.",
        }
        return _json(400, body)
    outcomes = {number: look_up(state.source, number) for number in ids if _ID.match(number)}
    failure = call_failure(outcomes.values())
    if failure is not None:
        return _fault(failure)
    items = [_item(number, outcomes.get(number), lang) for number in ids]
    if len(items) > 1:
        return _json(207, items)
    status = {200: 200, 104: 404, 400: 400}[items[0]["returnCode"]]
    return _json(status, items[0])


def _item(number: str, outcome: TrackingResult | CourierError | None, lang: str) -> dict[str, Any]:
    if outcome is None:
        return {
            "lang": lang,
            "scope": "open",
            "returnCode": 400,
            "returnMessage": INVALID,
            "idShip": number,
        }
    if isinstance(outcome, CourierError):  # not found (other errors fail the whole call)
        return {
            "lang": lang,
            "scope": "open",
            "returnCode": 104,
            "returnMessage": NOT_YET,
            "idShip": number,
        }
    return render_item(outcome, lang=lang)


def render_item(result: TrackingResult, *, lang: str = "fr_FR") -> dict[str, Any]:
    """A journey as La Poste's unitary answer ``{lang, scope, returnCode: 200, shipment}``."""
    holder = _HOLDER_OF_COURIER.get(result.courier_code, 1)
    events = ordered_events(result.events)
    coded = [(event, _code(event)) for event in events]
    shipment: dict[str, Any] = {
        "idShip": result.tracking_number,
        "holder": holder,
        "product": result.service or _PRODUCT_OF_HOLDER[holder],
        "isFinal": bool(coded) and coded[-1][1] in ("DI1", "DI2"),
        "url": f"https://www.laposte.fr/outils/suivre-vos-envois?code={result.tracking_number}",
    }
    if coded:
        shipment["entryDate"] = next(
            (e.occurrence_datetime for e, c in coded if c in ("PC1", "PC2")),
            coded[0][0].occurrence_datetime,
        )
    delivered = [e.occurrence_datetime for e, c in coded if c == "DI1"]
    if delivered:
        shipment["deliveryDate"] = delivered[-1]
    for key, value in (
        ("estimDate", result.estimated_delivery),
        ("estimHourMin", result.estimated_delivery_from),
        ("estimHourMax", result.estimated_delivery_to),
    ):
        if value:
            shipment[key] = value
    shipment["timeline"] = _timeline(coded)
    shipment["event"] = [
        {"code": code, "label": event.status or code, "date": event.occurrence_datetime}
        for event, code in reversed(coded)
    ]
    context: dict[str, Any] = {}
    if result.origin_country_code:
        context["originCountry"] = result.origin_country_code
    if result.destination_country_code:
        context["arrivalCountry"] = result.destination_country_code
    partners = [ln for ln in result.linked_numbers if ln.courier_code != result.courier_code]
    if partners:
        name = _PARTNER_OF_COURIER.get(partners[0].courier_code or "", "partner")
        context["partner"] = {
            "name": name,
            "network": name,
            "reference": partners[0].tracking_number,
        }
    shipment["contextData"] = context
    return {"lang": lang, "scope": "open", "returnCode": 200, "shipment": shipment}


def _code(event: CourierEvent) -> str:
    try:
        return carrier_code_for(event, EVENT_CODES, _PREFERRED)
    except KeyError:
        return _NEAREST.get(event.status_code or "", "ET1")


def _timeline(coded: list[tuple[CourierEvent, str]]) -> list[dict[str, Any]]:
    reached = max((_STEP_OF_CODE.get(code, 2) for _, code in coded), default=0)
    failed = bool(coded) and coded[-1][1] in ("PB1", "ND1", "DO3", "RE1", "DI2")
    steps = []
    for step, label in enumerate(_STEPS, start=1):
        entry: dict[str, Any] = {
            "id": step,
            "shortLabel": label,
            "longLabel": label,
            "status": step <= reached,
            "type": 1,
        }
        if step == reached and failed:
            entry["type"] = -1
        steps.append(entry)
    return steps


def _fault(fault: Fault) -> web.Response:
    if fault.malformed:
        return malformed_response()
    headers = retry_after_headers(fault)
    names = {
        401: ("UNAUTHORIZED", "Invalid or missing X-Okapi-Key"),
        429: ("TOO_MANY_REQUESTS", "Quota exceeded, retry later"),
        503: ("SERVICE_UNAVAILABLE", "Service temporarily unavailable"),
    }
    code, message = names.get(fault.status, ("INTERNAL_SERVER_ERROR", "Unexpected error"))
    return _gateway_error(fault.status, code, message, headers=headers)


def _gateway_error(
    status: int, code: str, message: str, *, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        status=status,
        body=orjson.dumps({"code": code, "message": message}),
        headers=headers,
        content_type="application/json",
    )


def _json(status: int, body: object) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")


# --- the fake's declaration ------------------------------------------------------------


_S10_FR = re.compile(r"^[A-Z]{2}\d{9}FR$")
_COLISSIMO = re.compile(r"^\d[A-Z]\d{11}$")


def _recognise(number: str) -> tuple[str, int] | None:
    """S10 ``XX`` + 8 digits + check + ``FR`` (``C…`` = Colissimo, else La Poste; selector:
    the 8th serial digit); Colissimo digit + letter + 11 digits (selector: the last digit)."""
    if _S10_FR.match(number) and s10_check(number[2:10]) == int(number[10]):
        return ("colissimo" if number[0] == "C" else "fr-post"), int(number[9])
    if _COLISSIMO.match(number):
        return "colissimo", int(number[-1])
    return None


def _make(serial: int, selector: int) -> str:
    """``LA`` + 7-digit serial + selector + check + ``FR`` (13)."""
    digits = f"{serial:07d}{selector}"
    return f"LA{digits}{s10_check(digits)}FR"


#: This carrier's fake for ``shiptrack fake-couriers`` (``couriers/connectors/fakespec.py``).
FAKE = FakeSpec(
    name="laposte",
    order=4,
    courier_codes=frozenset({"fr-post", "colissimo", "chronopost"}),
    recognise=_recognise,
    make=_make,
    serials=10**7,
    offsets=True,
    expressible=says(_EVENT_CODES),
    credentials={"api_key": "fake-laposte-okapi-key"},
    create_app=api_key_app(create_app),
)
