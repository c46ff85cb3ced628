"""Tracker rules: idempotent creation, updates and their immutability, lookups.

Creation follows Ship24's reuse rule (spec Part B §3.3): the candidates are the account's
subscribed trackers with the same ``clientTrackerId`` when one is sent, otherwise with the same
tracking number; a candidate whose defining fields (shipping date, countries, post code,
shipment reference, courier name, tracking URL, restrict flag, courier codes) all match is
returned instead of creating a tracker. A ``clientTrackerId`` held by a subscribed tracker
with other fields is a ``tracker_conflict``. Every create of an account runs under one lock
(the account row), so concurrent identical requests produce exactly one tracker.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from shiptrack.clock import utcnow
from shiptrack.db.engine import Connection, Database
from shiptrack.errors import (
    ApiError,
    tracker_not_found,
    validation_error,
    validation_errors,
)
from shiptrack.ids import new_time_ordered_ids
from shiptrack.trackers import repository, validation
from shiptrack.trackers.validation import TrackerInput
from shiptrack.tracking.updates import UpdateSink

IMMUTABLE_FIELDS = (
    "courierCode",
    "originCountryCode",
    "destinationCountryCode",
    "destinationPostCode",
    "shippingDate",
)


@dataclass(slots=True)
class CreateOutcome:
    """One item's result: the tracker (``row``) and whether it is new, or an error."""

    row: Any = None
    created: bool = False
    error: ApiError | None = None


def _conflict(client_tracker_id: str, tracker_id: str) -> ApiError:
    return ApiError(
        400,
        "tracker_conflict",
        f"A subscribed tracker ({tracker_id}) already has clientTrackerId '{client_tracker_id}' "
        "with different parameters. Send the same parameters to get it back, update it with "
        "PATCH, or unsubscribe it (isSubscribed: false) to reuse the clientTrackerId.",
    )


def _courier_overlap_conflict(tracking_number: str, tracker_id: str) -> ApiError:
    return ApiError(
        400,
        "tracker_conflict",
        f"A subscribed tracker ({tracker_id}) for {tracking_number} already lists some of these "
        "courier codes with others. Send exactly its courierCode list to get it back, or add "
        "couriers to it with PATCH.",
    )


def _new_row(
    account_id: str, seq: int, item: TrackerInput, now: dt.datetime, ids: Iterator[str]
) -> dict[str, Any]:
    return {
        "id": next(ids),
        "account_id": account_id,
        "account_seq": seq,
        "tracking_number": item.tracking_number,
        "client_tracker_id": item.client_tracker_id,
        "shipment_reference": item.shipment_reference,
        "origin_country_code": item.origin_country_code,
        "destination_country_code": item.destination_country_code,
        "destination_post_code": item.destination_post_code,
        "shipping_date": item.shipping_date,
        "courier_codes": list(item.courier_codes),
        "courier_name": item.courier_name,
        "tracking_url": item.tracking_url,
        "order_number": item.order_number,
        "title": item.title,
        "recipient_email": item.recipient_email,
        "recipient_name": item.recipient_name,
        "restrict_to_courier": item.restrict_to_courier,
        "is_subscribed": True,
        "is_tracked": True,
        "created_at": now,
        "updated_at": now,
        "shipment_id": next(ids),
    }


async def create_many(
    db: Database,
    account_id: str,
    items: list[TrackerInput | ApiError],
    *,
    courier_overlap_conflicts: bool = False,
) -> list[CreateOutcome]:
    """Create (or find) a tracker for each valid item in one transaction, in input order.

    Items already rejected by validation pass through as errors. Duplicates within ``items``
    resolve to the same tracker. ``courier_overlap_conflicts`` adds the rule of
    ``POST /trackers/track``: a courier list overlapping an existing tracker's without being
    equal is a conflict.
    """
    outcomes = [
        CreateOutcome(error=i) if isinstance(i, ApiError) else CreateOutcome() for i in items
    ]
    valid = [(n, i) for n, i in enumerate(items) if isinstance(i, TrackerInput)]
    if not valid:
        return outcomes
    now = utcnow()
    # Time-ordered: trackers created together sit together in their indexes, and so do
    # their shipments and events when their first checks store them (decision 25).
    ids = iter(new_time_ordered_ids(2 * len(valid)))
    new_rows: list[dict[str, Any]] = []
    async with db.write() as conn:
        count = await repository.lock_account_counter(conn, account_id)
        existing = await repository.subscribed_candidates(
            conn,
            account_id,
            (i.tracking_number for _, i in valid),
            (i.client_tracker_id for _, i in valid if i.client_tracker_id),
            postgres=db.is_postgres,
        )
        by_client_id: dict[str, Any] = {}
        by_number: dict[str, list[Any]] = {}
        for row in existing:
            if row.client_tracker_id:
                by_client_id[row.client_tracker_id] = row
            by_number.setdefault(row.tracking_number, []).append(row)
        for n, item in valid:
            outcome = outcomes[n]
            if item.client_tracker_id:
                held = by_client_id.get(item.client_tracker_id)
                if held is not None:
                    if held.tracking_number == item.tracking_number and item.same_shipment(held):
                        outcome.row = held
                    else:
                        outcome.error = _conflict(item.client_tracker_id, held.id)
                    continue
            else:
                candidates = by_number.get(item.tracking_number, ())
                match = next((c for c in candidates if item.same_shipment(c)), None)
                if match is not None:
                    outcome.row = match
                    continue
                if courier_overlap_conflicts and item.courier_codes:
                    wanted = set(item.courier_codes)
                    clash = next(
                        (
                            c
                            for c in candidates
                            if wanted & set(c.courier_codes) and wanted != set(c.courier_codes)
                        ),
                        None,
                    )
                    if clash is not None:
                        outcome.error = _courier_overlap_conflict(item.tracking_number, clash.id)
                        continue
            count += 1
            values = _new_row(account_id, count, item, now, ids)
            new_rows.append(values)
            row = repository.NewTracker(**values)
            outcome.row, outcome.created = row, True
            if item.client_tracker_id:
                by_client_id[item.client_tracker_id] = row
            by_number.setdefault(item.tracking_number, []).append(row)
        if new_rows:
            await repository.insert_trackers(conn, new_rows, sqlite=not db.is_postgres)
            await repository.set_account_counter(conn, account_id, count)
    return outcomes


async def get(db: Database, account_id: str, ref: str, *, by_client_id: bool) -> Any:
    """A tracker's ``TRACKER_COLUMNS`` (by trackerId: on the driver, the results' way)."""
    if by_client_id:
        async with db.read() as conn:
            row = await repository.get_tracker(
                conn, account_id, ref, by_client_id=True, columns=repository.TRACKER_COLUMNS
            )
    else:
        row = await repository.tracker_by_id(db, account_id, ref)
    if row is None:
        raise tracker_not_found()
    return row


async def diagnostics(
    db: Database, account_id: str, ref: str, *, by_client_id: bool
) -> tuple[Row[Any], list[Row[Any]]]:
    """A tracker and its stored events with what decided each one's statusCode."""
    async with db.read() as conn:
        row = await repository.get_tracker(
            conn, account_id, ref, by_client_id=by_client_id, columns=repository.DIAGNOSTICS_COLUMNS
        )
        if row is None:
            raise tracker_not_found()
        stored = await repository.shipment_events(conn, row.shipment_id)
    return row, stored


async def results(db: Database, account_id: str, ref: str, *, by_client_id: bool) -> Any:
    """A tracker with its rendered results (``repository.ResultsRow``'s columns)."""
    if by_client_id:
        async with db.read() as conn:
            row = await repository.tracker_with_results(conn, account_id, ref, by_client_id=True)
    else:
        row = await repository.results_by_id(db, account_id, ref)
    if row is None:
        raise tracker_not_found()
    return row


async def stored_results(db: Database, account_id: str, tracker_id: str) -> Sequence[Any]:
    """A tracker (by trackerId) with its rendered results, as the driver reads them
    (``repository.stored_results_by_id``); ``tracker_not_found`` when there is none."""
    raw = await repository.stored_results_by_id(db, account_id, tracker_id)
    if raw is None:
        raise tracker_not_found()
    return raw


async def results_on(conn: Connection, account_id: str, tracker_id: str) -> Row[Any] | None:
    """A tracker (by id) with its stored results, or None, on a connection the caller holds
    (the tracking page reads its link, the results and the branding in one go)."""
    return await repository.tracker_with_results(conn, account_id, tracker_id, by_client_id=False)


async def results_by_number(db: Database, account_id: str, tracking_number: str) -> list[Row[Any]]:
    number = tracking_number.strip().upper()
    async with db.read() as conn:
        rows = await repository.trackers_with_results_by_number(conn, account_id, number)
    if not rows:
        raise ApiError(
            404,
            "tracker_not_found",
            f"No tracker of this account has tracking number '{number}'. Create one with "
            "POST /trackers first.",
        )
    return rows


def _post_code_key(value: str | None) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


async def find_by_post_code(
    db: Database, account_id: str, tracking_number: str, post_code: str
) -> str | None:
    """The id of the account's subscribed tracker with this number whose destination post
    code is ``post_code`` (compared without case, spaces or dashes), or None. A tracker
    without a post code is never found this way. Every candidate is compared in constant
    time, and an unknown number costs the same comparison as a wrong post code."""
    number = tracking_number.strip().upper()
    wanted = _post_code_key(post_code).encode()
    async with db.read() as conn:
        rows = await repository.post_codes_of_number(conn, account_id, number)
    found = None
    for row in rows or [None]:
        stored = _post_code_key(row.destination_post_code if row is not None else None)
        # A stored empty post code never matches, but is compared all the same.
        same = hmac.compare_digest(wanted, (stored or "\0").encode())
        if same and row is not None and found is None:
            found = row.id
    return found if wanted else None


async def list_page(
    db: Database, account_id: str, *, page: int, limit: int, newest_first: bool
) -> list[Row[Any]]:
    async with db.read() as conn:
        return await repository.list_page(
            conn, account_id, page=page, limit=limit, newest_first=newest_first
        )


async def update(
    db: Database,
    account_id: str,
    ref: str,
    body: Any,
    *,
    by_client_id: bool,
    max_age_days: int,
    max_couriers: int,
    sink: UpdateSink,
) -> Row[Any]:
    """Apply a PATCH: subscription, added courier codes, shipment hints (immutable once the
    tracker has data), courier name, tracking URL and recipient name. Unsubscribing tells
    ``sink`` (the webhooks outbox drops the tracker's undelivered messages), in the same
    transaction."""
    if not isinstance(body, dict):
        raise validation_error('The body must be a JSON object, e.g. {"isSubscribed": false}.')
    errors: list[str] = []
    changes: dict[str, Any] = {}
    if "isSubscribed" in body:
        if not isinstance(body["isSubscribed"], bool):
            errors.append("isSubscribed must be true or false.")
        else:
            changes["is_subscribed"] = body["isSubscribed"]
    if body.get("courierCode") is not None:
        changes["add_courier_codes"] = validation.courier_codes(body["courierCode"], errors)
    for field, column in (
        ("originCountryCode", "origin_country_code"),
        ("destinationCountryCode", "destination_country_code"),
    ):
        if body.get(field) is not None:
            changes[column] = validation.country(body, field, errors)
    if body.get("destinationPostCode") is not None:
        changes["destination_post_code"] = validation.post_code(body, errors)
    if body.get("shippingDate") is not None:
        date, outdated = validation.shipping_date(
            body, errors, max_age_days=max_age_days, today=utcnow().date()
        )
        if outdated:
            raise ApiError(
                400,
                "shipping_date_outdated",
                f"shippingDate {date} is more than {max_age_days} days old; shipments "
                "older than that are not tracked.",
            )
        changes["shipping_date"] = date
    for field, column, length in (
        ("courierName", "courier_name", 200),
        ("trackingUrl", "tracking_url", 2048),
    ):
        if body.get(field) is not None:
            changes[column] = validation._string(body, field, errors, max_length=length)
    if isinstance(body.get("recipient"), dict):
        if "email" in body["recipient"]:
            errors.append("recipient.email cannot be changed; only recipient.name can.")
        changes["recipient_name"] = validation._string(
            body["recipient"], "name", errors, max_length=100, path="recipient.name"
        )
    elif body.get("recipient") is not None:
        errors.append('recipient must be an object such as {"name": "Ann Smith"}.')
    if errors:
        raise validation_errors(errors)

    now = utcnow()
    async with db.write() as conn:
        row = await repository.get_tracker(
            conn, account_id, ref, by_client_id=by_client_id, for_update=True
        )
        if row is None:
            raise tracker_not_found()
        values: dict[str, Any] = {}
        added = changes.pop("add_courier_codes", None)
        if added:
            codes = list(row.courier_codes)
            codes.extend(c for c in added if c not in codes)
            if len(codes) > max_couriers:
                raise validation_error(
                    f"A tracker holds at most {max_couriers} courier codes; this update would "
                    f"give it {len(codes)}. Create a new tracker instead."
                )
            if codes != list(row.courier_codes):
                values["courier_codes"] = codes
        for column, value in changes.items():
            if column != "is_subscribed" and value != getattr(row, column):
                values[column] = value
        if row.has_data:
            frozen = {
                "courier_codes",
                "origin_country_code",
                "destination_country_code",
                "destination_post_code",
                "shipping_date",
            } & values.keys()
            if frozen:
                raise ApiError(
                    400,
                    "tracker_not_updatable",
                    "This Tracker can't be updated as the corresponding shipment has been "
                    "already processed by our system. Please create a new Tracker. "
                    f"(Fields that can no longer change: {', '.join(IMMUTABLE_FIELDS)}.)",
                )
        subscribe = changes.get("is_subscribed")
        schedule: dict[str, Any] = {}
        if subscribe is False and row.is_subscribed:
            await sink.unsubscribed(conn, row.id, now)
            values.update(is_subscribed=False, is_tracked=False, stop_reason="unsubscribed")
            # Out of the claims, and a check in flight no longer holds it (its store skips it).
            schedule = {"next_check_at": None, "lease_until": None, "lease_owner": None}
        elif subscribe is True and not row.is_subscribed:
            if row.client_tracker_id and await repository.client_id_taken(
                conn, account_id, row.client_tracker_id, row.id
            ):
                raise _conflict(row.client_tracker_id, row.id)
            values.update(is_subscribed=True, is_tracked=True, stop_reason=None)
            schedule = {"next_check_at": now}
        if values:
            values["updated_at"] = now
            await repository.update_tracker(conn, row.id, values, schedule=schedule)
        updated = await repository.get_tracker(
            conn, account_id, row.id, by_client_id=False, columns=repository.TRACKER_COLUMNS
        )
    assert updated is not None
    return updated
