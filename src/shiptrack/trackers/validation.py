"""Validation of tracker requests, with Ship24's rules and messages that say how to fix things.

Input is the decoded JSON (dicts, lists, str…); output is a ``TrackerInput`` with every value
normalised (tracking number uppercased, countries alpha-2, courier codes deduplicated, the
shipping date at day precision), or an ``ApiError`` listing every problem found.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shiptrack.couriers.hints import (
    country,
    courier_codes,
    post_code,
)
from shiptrack.errors import ApiError, validation_errors

_TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9\-_/.]{5,50}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

TRACKING_NUMBER_MESSAGE = (
    "The trackingNumber provided seems invalid. Please make sure it's between 5 and 50 "
    "characters, containing only letters, numbers, hyphens, underscores, slashes and dots, and "
    "without dummy patterns and consecutive numbers."
)


@dataclass(frozen=True, slots=True)
class TrackerInput:
    """A validated tracker creation request."""

    tracking_number: str
    shipment_reference: str | None = None
    client_tracker_id: str | None = None
    origin_country_code: str | None = None
    destination_country_code: str | None = None
    destination_post_code: str | None = None
    shipping_date: dt.date | None = None
    courier_codes: tuple[str, ...] = ()
    courier_name: str | None = None
    tracking_url: str | None = None
    order_number: str | None = None
    title: str | None = None
    recipient_email: str | None = None
    recipient_name: str | None = None
    restrict_to_courier: bool = False

    def same_shipment(self, row: Any) -> bool:
        """Ship24's reuse rule: the fields that define a tracker are all equal."""
        return (
            self.shipping_date == row.shipping_date
            and self.origin_country_code == row.origin_country_code
            and self.destination_country_code == row.destination_country_code
            and self.destination_post_code == row.destination_post_code
            and self.shipment_reference == row.shipment_reference
            and self.courier_name == row.courier_name
            and self.tracking_url == row.tracking_url
            and self.restrict_to_courier == row.restrict_to_courier
            and sorted(self.courier_codes) == sorted(row.courier_codes)
        )


def is_dummy(number: str) -> bool:
    """Obvious placeholders: one repeated character, a run of consecutive digits or letters
    (``123456789``, ``98765``, ``ABCDEF``), or a repeated pair (``121212``)."""
    if len(set(number)) == 1:
        return True
    if len(set(number[0::2])) == 1 and len(set(number[1::2])) == 1:
        return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(number)}
    if steps in ({1}, {-1}) and (number.isdigit() or number.isalpha()):
        return True
    return False


def tracking_number(value: Any, errors: list[str]) -> str | None:
    if not isinstance(value, str):
        errors.append(
            f"trackingNumber must be a string, got {_type_name(value)}. {TRACKING_NUMBER_MESSAGE}"
        )
        return None
    value = value.strip()
    if not _TRACKING_NUMBER.match(value) or is_dummy(value.upper()):
        errors.append(TRACKING_NUMBER_MESSAGE)
        return None
    return value.upper()


def _type_name(value: Any) -> str:
    return {
        type(None): "null",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _string(
    body: dict[str, Any],
    field: str,
    errors: list[str],
    *,
    max_length: int,
    path: str | None = None,
) -> str | None:
    value = body.get(field)
    name = path or field
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append(
            f"{name} must be a string of at most {max_length} characters, got {_type_name(value)}."
        )
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > max_length:
        errors.append(
            f"{name} is {len(value)} characters long; the maximum is {max_length}. Shorten it."
        )
        return None
    return value


def shipping_date(
    body: dict[str, Any],
    errors: list[str],
    *,
    max_age_days: int,
    today: dt.date,
) -> tuple[dt.date | None, bool]:
    """The shipping date (day precision) and whether it is too old (shipping_date_outdated)."""
    value = body.get("shippingDate")
    if value is None or value == "":
        return None, False
    parsed: dt.date | None = None
    if isinstance(value, str):
        try:  # a date alone ('2021-03-01') is a date-time at midnight
            parsed = dt.datetime.fromisoformat(value).date()
        except ValueError:
            parsed = None
    if parsed is None:
        errors.append(
            "shippingDate must be an ISO 8601 date or date-time, e.g. '2021-03-01', "
            "'2021-03-01T11:09:00', '2021-03-01T11:09:00.000Z' or "
            "'2021-03-01T11:09:00+02:00'."
        )
        return None, False
    if parsed > today + dt.timedelta(days=366):
        errors.append(
            f"shippingDate {parsed.isoformat()} is more than a year in the future; "
            "send the date the parcel was handed to the courier."
        )
        return None, False
    return parsed, (today - parsed).days > max_age_days


def _recipient(body: dict[str, Any], errors: list[str]) -> tuple[str | None, str | None]:
    value = body.get("recipient")
    if value is None:
        return None, None
    if not isinstance(value, dict):
        errors.append(
            'recipient must be an object such as {"email": "ann@example.com", "name": "Ann Smith"}.'
        )
        return None, None
    email = _string(value, "email", errors, max_length=254, path="recipient.email")
    if email is not None and not _EMAIL.match(email):
        errors.append(f"recipient.email '{email}' is not an email address.")
        email = None
    name = _string(value, "name", errors, max_length=100, path="recipient.name")
    return email, name


def _restrict(body: dict[str, Any], errors: list[str]) -> bool:
    value = body.get("settings")
    if value is None:
        return False
    if not isinstance(value, dict):
        errors.append('settings must be an object such as {"restrictTrackingToCourierCode": true}.')
        return False
    flag = value.get("restrictTrackingToCourierCode")
    if flag is None:  # absent or null: not restricted
        return False
    if not isinstance(flag, bool):
        errors.append("settings.restrictTrackingToCourierCode must be true or false.")
        return False
    return flag


def parse_tracker_input(
    body: Any,
    *,
    max_age_days: int,
    today: dt.date,
    extra_check: Callable[[dict[str, Any], list[str]], None] | None = None,
) -> TrackerInput:
    """Validate one tracker creation request, raising ApiError with every problem found."""
    if not isinstance(body, dict):
        raise ApiError(
            400,
            "validation_error",
            "Each tracker must be a JSON object with at least a trackingNumber, e.g. "
            '{"trackingNumber": "S24DEMO456393"}.',
        )
    if body.get("trackingNumber") is None:
        raise ApiError(
            400,
            "missing_mandatory_field",
            "trackingNumber is required: send the parcel's tracking number, e.g. "
            '{"trackingNumber": "S24DEMO456393"}.',
        )
    errors: list[str] = []
    number = tracking_number(body["trackingNumber"], errors)
    date, outdated = shipping_date(body, errors, max_age_days=max_age_days, today=today)
    codes = courier_codes(body.get("courierCode"), errors)
    email, name = _recipient(body, errors)
    restrict = _restrict(body, errors)
    tracker = TrackerInput(
        tracking_number=number or "",
        shipment_reference=_string(body, "shipmentReference", errors, max_length=100),
        client_tracker_id=_string(body, "clientTrackerId", errors, max_length=100),
        origin_country_code=country(body, "originCountryCode", errors),
        destination_country_code=country(body, "destinationCountryCode", errors),
        destination_post_code=post_code(body, errors),
        shipping_date=date,
        courier_codes=codes,
        courier_name=_string(body, "courierName", errors, max_length=200),
        tracking_url=_string(body, "trackingUrl", errors, max_length=2048),
        order_number=_string(body, "orderNumber", errors, max_length=100),
        title=_string(body, "title", errors, max_length=200),
        recipient_email=email,
        recipient_name=name,
        restrict_to_courier=restrict,
    )
    if extra_check:
        extra_check(body, errors)
    if errors:
        raise validation_errors(errors)
    if outdated:
        raise ApiError(
            400,
            "shipping_date_outdated",
            f"shippingDate {date} is more than {max_age_days} days old; shipments "
            "older than that are not tracked. Check the date, or leave it out.",
        )
    return tracker
