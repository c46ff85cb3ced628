"""Pure parsing of Australia Post "Track items" answers into shiptrack's connector types.

``GET /shipping/v1/track?tracking_ids=a,b,…`` answers ``{"tracking_results": [...]}``, one
result per id: ``trackable_items[]`` (an article ``{article_id, product_type, status,
events}``, or a consignment ``{consignment_id, items[article]}``), or ``errors[]{code, name}``
for an id Australia Post does not know. Nothing here does I/O.

Decisions:

* Events have no code. A ``description`` that starts with one of Australia Post's documented
  phrases (``statuses.DESCRIPTION_PHRASES``) is named by it; the status normaliser reads the
  others. The article's ``status`` (``statuses.ITEM_STATUSES``) names the newest event when
  its text says nothing known.
* ``date`` carries an Australian offset (``2021-01-21T11:04:27+11:00``), kept as given; a date
  without offset stays local. Events are newest first; ``order`` counts from the oldest.
* A consignment answers the events of all its articles, each once. Australia Post gives no
  estimate, signatory or countries in this answer, and no second carrier's number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from shiptrack.couriers.connectors.auspost.statuses import (
    COURIER_CODE,
    DESCRIPTION_PHRASES,
    ITEM_STATUSES,
    NOT_FOUND_CODES,
)
from shiptrack.couriers.connectors.fallback import decide, table_rule
from shiptrack.couriers.connectors.parsing import (
    json_list,
    json_object,
    logistics_datetime,
    normalised_number,
    string_value,
    text_value,
    unique_objects,
)
from shiptrack.couriers.connectors.protocol import (
    CourierEvent,
    CourierResponseInvalid,
    TrackingNumberNotFound,
    TrackingResult,
    TrackOutcome,
)
from shiptrack.status.classifier import UNMATCHED

SOURCE_CODE = "auspost-tracking"


def parse_answer(numbers: Sequence[str], body: object) -> dict[str, TrackOutcome]:
    """One outcome per asked id from a decoded answer."""
    try:
        results = json_list(json_object(body, "answer").get("tracking_results"), "results")
        by_id = {}
        for raw in results:
            result = json_object(raw, "a tracking result")
            by_id[normalised_number(result.get("tracking_id"))] = result
    except CourierResponseInvalid as exc:
        error = CourierResponseInvalid(f"Australia Post answer breaks the format: {exc}")
        return dict.fromkeys(numbers, error)
    outcomes: dict[str, TrackOutcome] = {}
    for number in numbers:
        result = by_id.get(normalised_number(number))
        if result is None:
            outcomes[number] = CourierResponseInvalid("Australia Post gave no result for it")
        else:
            outcomes[number] = parse_result(number, result)
    return outcomes


def parse_result(number: str, result: Mapping[str, Any]) -> TrackOutcome:
    """The outcome of one ``tracking_results`` entry."""
    try:
        errors = [json_object(e, "an error") for e in json_list(result.get("errors"), "errors")]
        if errors:
            codes = [text_value(e.get("code")) or "?" for e in errors]
            names = "; ".join(text_value(e.get("name")) or "" for e in errors)
            known = "" if set(codes) <= NOT_FOUND_CODES else " (unlisted code)"
            return TrackingNumberNotFound(f"Australia Post {','.join(codes)}: {names}{known}")
        return _result(number, result)
    except CourierResponseInvalid as exc:
        return CourierResponseInvalid(f"Australia Post answer breaks the format: {exc}")


def _articles(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    articles: list[Mapping[str, Any]] = []
    for raw in json_list(result.get("trackable_items"), "trackable_items"):
        item = json_object(raw, "a trackable item")
        if "items" in item:
            articles += [json_object(a, "an article") for a in json_list(item["items"], "items")]
        else:
            articles.append(item)
    return articles


def _result(number: str, result: Mapping[str, Any]) -> TrackingResult:
    articles = _articles(result)
    wanted = normalised_number(number)
    chosen = [a for a in articles if normalised_number(a.get("article_id")) == wanted]
    chosen = chosen or articles
    raw_events = unique_objects(
        (raw for article in chosen for raw in json_list(article.get("events"), "events")),
        ("date", "description", "location"),
        "an event",
    )
    if len(chosen) > 1:
        raw_events.sort(key=_instant, reverse=True)
    status = string_value(chosen[0].get("status")) if chosen else None
    status = status or string_value(result.get("status"))
    total = len(raw_events)
    events = [
        _event(number, raw, order=total - i, article_status=status if i == 0 else None)
        for i, raw in enumerate(raw_events)
    ]
    return TrackingResult(
        tracking_number=number,
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        events=events,
        service=string_value(chosen[0].get("product_type")) if chosen else None,
    )


def _event(
    number: str, raw: Mapping[str, Any], *, order: int, article_status: str | None
) -> CourierEvent:
    when = logistics_datetime(raw.get("date"))
    if when is None:
        raise CourierResponseInvalid(f"date {raw.get('date')!r} is not a date-time")
    text = string_value(raw.get("description"))
    code, rule = read_description(text)
    if code is None and rule == UNMATCHED and article_status in ITEM_STATUSES:
        code = ITEM_STATUSES[article_status]
        rule = table_rule(COURIER_CODE, f"status:{article_status}")
    return CourierEvent(
        tracking_number=number,
        occurrence_datetime=when,
        status=text,
        status_code=code,
        location=string_value(raw.get("location")),
        courier_code=COURIER_CODE,
        source_code=SOURCE_CODE,
        carrier_status_code=None,
        order=order,
        rule_id=rule,
    )


def read_description(text: str | None) -> tuple[str | None, str]:
    """``(statusCode, rule id)`` of an event's description: a documented phrase, else the
    status normaliser (``unmatched`` when neither knows it)."""
    lowered = (text or "").strip().lower()
    for phrase, code in DESCRIPTION_PHRASES:
        if lowered.startswith(phrase):
            return code, table_rule(COURIER_CODE, f"text:{phrase}")
    return decide(False, None, text=text, courier_code=COURIER_CODE, carrier_code=None)


def _instant(event: Mapping[str, Any]) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(event.get("date")))
    except ValueError:
        raise CourierResponseInvalid(f"date {event.get('date')!r} is not a date-time") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
