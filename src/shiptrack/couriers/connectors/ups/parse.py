"""UPS Track API JSON (``GET /api/track/v1/details/{n}``) → ``TrackingResult``.

Pure functions. The answer is ``{"trackResponse": {"shipment": [{"package": [...]}]}}``; each
package has ``activity`` newest first. An activity's ``date`` (``YYYYMMDD``) and ``time``
(``HHMMSS``, 24 h) are the local time of the scan; newer answers add ``gmtDate``/``gmtTime``
(``gmtTime`` may drop its leading zero: ``74700`` is 07:47:00) and ``gmtOffset`` (``-05:00``).
Times are kept local, with the offset when it is given or follows from the GMT fields.

A number UPS does not know comes back as a 200 whose shipment has ``warnings`` and no
``package`` (or as a 404 with ``{"response": {"errors": [...]}}``): ``TrackingNumberNotFound``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from shiptrack.couriers.connectors.fallback import decide
from shiptrack.couriers.connectors.parsing import (
    MAX_OFFSET,
    format_offset,
    json_list,
    json_object,
    offset_from_gmt,
    text_value,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    LinkedTrackingNumber,
    TrackingNumberNotFound,
    TrackingResult,
)
from shiptrack.couriers.connectors.ups.statuses import STATUS_CODES, STATUS_TYPES, status_code_for

SOURCE_CODE = "ups-tracking"
COURIER_CODE = "ups"

_OFFSET = re.compile(r"^(?P<sign>[+-])?(?P<h>\d{1,2}):?(?P<m>\d{2})$")
#: UPS codes and texts for "no such number" (Track API errors appendix and observed answers).
_NOT_FOUND_CODES = frozenset({"151018", "151044", "151062", "TW0001", "TV1002"})
_NOT_FOUND_TEXT = re.compile(
    r"not found|no tracking information|invalid (inquiry|tracking) number", re.I
)
#: Window types of ``deliveryTime`` (start and end given) and single-time estimates.
_WINDOWS = frozenset({"EDW", "CDW", "IDW"})
_SINGLE_TIMES = frozenset({"CMT", "EOD"})


def _obj(value: object, where: str) -> dict[str, Any]:
    return json_object(value, f"UPS {where}")


def _list(value: object, where: str) -> list[Any]:
    return json_list(value, f"UPS {where}")


def _date(value: str | None) -> dt.date | None:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 8:
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def _time(value: str | None) -> dt.time | None:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 4:  # HHMM
        digits += "00"
    elif len(digits) == 5:  # a dropped leading zero
        digits = "0" + digits
    if len(digits) != 6:
        return None
    try:
        return dt.time(int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None


def _offset(value: str | None) -> dt.timedelta | None:
    match = _OFFSET.match((value or "").strip())
    if match is None:
        return None
    delta = dt.timedelta(hours=int(match["h"]), minutes=int(match["m"]))
    delta = -delta if match["sign"] == "-" else delta
    return delta if abs(delta) <= MAX_OFFSET else None


def activity_datetime(activity: dict[str, Any]) -> str:
    """The logistics date-time of one UPS activity (see the module docstring)."""
    date, clock = _date(text_value(activity.get("date"))), _time(text_value(activity.get("time")))
    gmt_date = _date(text_value(activity.get("gmtDate")))
    gmt_time = _time(text_value(activity.get("gmtTime")))
    if date is not None:
        if clock is None:
            return date.isoformat()
        local = dt.datetime.combine(date, clock)
        offset = _offset(text_value(activity.get("gmtOffset")))
        if offset is None and gmt_date is not None and gmt_time is not None:
            offset = offset_from_gmt(local, dt.datetime.combine(gmt_date, gmt_time))
        text = local.isoformat(timespec="seconds")
        return text + format_offset(offset) if offset is not None else text
    if gmt_date is not None:
        if gmt_time is None:
            return gmt_date.isoformat()
        return dt.datetime.combine(gmt_date, gmt_time).isoformat(timespec="seconds") + "Z"
    raise CourierResponseInvalid("UPS activity has no usable date")


_Parts = tuple[str | None, str | None, str | None, str | None]


def _address_parts(address: dict[str, Any]) -> _Parts:
    country = text_value(address.get("countryCode")) or text_value(address.get("country"))
    return (
        text_value(address.get("city")),
        text_value(address.get("stateProvince")),
        text_value(address.get("postalCode")),
        country.upper() if country else None,
    )


def _location(activity: dict[str, Any]) -> str | None:
    location = activity.get("location")
    if not isinstance(location, dict) or not isinstance(location.get("address"), dict):
        return None
    city, state, postal_code, country = _address_parts(location["address"])
    state_zip = " ".join(part for part in (state, postal_code) if part)
    text = ", ".join(part for part in (city, state_zip or None, country) if part)
    return text or None


def _estimates(package: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(estimated delivery, window from, window to) from ``deliveryDate``/``deliveryTime``."""
    dates: dict[str, dt.date] = {}
    for entry in _list(package.get("deliveryDate"), "deliveryDate"):
        if isinstance(entry, dict):
            kind, date = text_value(entry.get("type")), _date(text_value(entry.get("date")))
            if kind and date:
                dates.setdefault(kind.upper(), date)
    date = dates.get("RDD") or dates.get("SDD")
    if date is None:
        return None, None, None
    window = package.get("deliveryTime")
    kind = text_value(window.get("type")) if isinstance(window, dict) else None
    if isinstance(window, dict) and kind:
        start, end = (
            _time(text_value(window.get("startTime"))),
            _time(text_value(window.get("endTime"))),
        )
        if kind.upper() in _WINDOWS and start is not None and end is not None:
            begins = dt.datetime.combine(date, start).isoformat(timespec="seconds")
            ends = dt.datetime.combine(date, end).isoformat(timespec="seconds")
            return ends, begins, ends
        if kind.upper() in _SINGLE_TIMES and end is not None:
            return dt.datetime.combine(date, end).isoformat(timespec="seconds"), None, None
    return date.isoformat(), None, None


def _addresses(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for entry in _list(package.get("packageAddress"), "packageAddress"):
        if isinstance(entry, dict) and isinstance(entry.get("address"), dict):
            kind = (text_value(entry.get("type")) or "").upper()
            found.setdefault(kind, entry["address"])
    return found


def _linked(number: str, package: dict[str, Any]) -> list[LinkedTrackingNumber]:
    linked: list[LinkedTrackingNumber] = []
    seen = {number.upper()}
    for entry in _list(package.get("alternateTrackingNumber"), "alternateTrackingNumber"):
        if not isinstance(entry, dict):
            continue
        other = text_value(entry.get("number"))
        if other is None or other.upper() in seen:
            continue
        seen.add(other.upper())
        kind = (text_value(entry.get("type")) or "").upper()
        # Mail Innovations and SurePost hand the last mile to USPS: type USPS_PIC.
        courier = "us-post" if "USPS" in kind else COURIER_CODE
        linked.append(LinkedTrackingNumber(other, courier))
    return linked


def _messages(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, message) pairs of an error body and of shipment warnings."""
    pairs: list[tuple[str, str]] = []
    response = body.get("response")
    if isinstance(response, dict):
        for error in _list(response.get("errors"), "errors"):
            if isinstance(error, dict):
                pairs.append(
                    (text_value(error.get("code")) or "", text_value(error.get("message")) or "")
                )
    track = body.get("trackResponse")
    if isinstance(track, dict):
        for shipment in _list(track.get("shipment"), "shipment"):
            if isinstance(shipment, dict):
                for warning in _list(shipment.get("warnings"), "warnings"):
                    if isinstance(warning, dict):
                        pairs.append(
                            (
                                text_value(warning.get("code")) or "",
                                text_value(warning.get("message")) or "",
                            )
                        )
    return pairs


def is_not_found(body: object) -> bool:
    """True for UPS's "no tracking information for this number" errors or warnings."""
    if not isinstance(body, dict):
        return False
    return any(
        code in _NOT_FOUND_CODES or _NOT_FOUND_TEXT.search(message)
        for code, message in _messages(body)
    )


def error_detail(body: object) -> str:
    """``code: message`` of the first UPS error or warning in a body."""
    if isinstance(body, dict):
        for code, message in _messages(body):
            return f"{code}: {message}".strip(": ")
    return ""


def _packages(body: dict[str, Any]) -> list[dict[str, Any]]:
    track = _obj(body.get("trackResponse"), "trackResponse")
    packages: list[dict[str, Any]] = []
    for shipment in _list(track.get("shipment"), "trackResponse.shipment"):
        shipment = _obj(shipment, "shipment")
        packages.extend(_obj(p, "package") for p in _list(shipment.get("package"), "package"))
    return packages


def parse_track(number: str, body: object) -> TrackingResult | TrackingNumberNotFound:
    """One UPS Track API body → the result for ``number``.

    A multi-piece shipment lists its sibling packages too; the one whose ``trackingNumber``
    is ``number`` is used (the first package when none matches, e.g. a reference inquiry).
    """
    data = _obj(body, "tracking answer")
    if "trackResponse" not in data:
        if is_not_found(data):
            return TrackingNumberNotFound(f"UPS: {error_detail(data)}")
        raise CourierResponseInvalid(f"UPS answer without trackResponse {error_detail(data)}")
    packages = _packages(data)
    if not packages:
        if is_not_found(data):
            return TrackingNumberNotFound(f"UPS: {error_detail(data)}")
        raise CourierResponseInvalid("UPS answer has no package and no not-found warning")
    wanted = number.replace(" ", "").upper()
    package = next(
        (p for p in packages if (text_value(p.get("trackingNumber")) or "").upper() == wanted),
        packages[0],
    )

    activities = _list(package.get("activity"), "activity")
    events: list[CourierEvent] = []
    total = len(activities)
    for index, raw in enumerate(activities):
        activity = _obj(raw, "activity")
        status = activity.get("status") if isinstance(activity.get("status"), dict) else {}
        status_code, status_type = (
            text_value(status.get("statusCode")),
            text_value(status.get("type")),
        )
        text = text_value(status.get("description")) or text_value(
            status.get("simplifiedTextDescription")
        )
        carrier_code = status_code or status_type or text_value(status.get("code"))
        ship24_code, rule_id = decide(
            (status_code or "").strip() in STATUS_CODES
            or (status_type or "").strip().upper() in STATUS_TYPES,
            status_code_for(status_code, status_type),
            text=text,
            courier_code=COURIER_CODE,
            carrier_code=carrier_code,
        )
        events.append(
            CourierEvent(
                tracking_number=number,
                occurrence_datetime=activity_datetime(activity),
                status=text,
                status_code=ship24_code,
                location=_location(activity),
                courier_code=COURIER_CODE,
                source_code=SOURCE_CODE,
                carrier_status_code=carrier_code,
                order=total - index,
                rule_id=rule_id,
            )
        )
    events.reverse()

    addresses = _addresses(package)
    origin = _address_parts(addresses["ORIGIN"]) if "ORIGIN" in addresses else None
    destination = _address_parts(addresses["DESTINATION"]) if "DESTINATION" in addresses else None
    delivery = package.get("deliveryInformation")
    service = package.get("service")
    estimate, window_from, window_to = _estimates(package)
    return TrackingResult(
        tracking_number=number,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        events=events,
        origin_country_code=origin[3] if origin else None,
        destination_country_code=destination[3] if destination else None,
        estimated_delivery=estimate,
        estimated_delivery_from=window_from,
        estimated_delivery_to=window_to,
        service=text_value(service.get("description")) if isinstance(service, dict) else None,
        signed_by=text_value(delivery.get("receivedBy")) if isinstance(delivery, dict) else None,
        linked_numbers=_linked(number, package),
        recipient_post_code=destination[2] if destination else None,
        recipient_city=destination[0] if destination else None,
    )
