"""The status normaliser behind every connector's own table.

A carrier's explicit code always wins: ``decide`` asks the normaliser only when the
connector's table has no entry for the code (a new code, or a source that gives only a
text). Either way the event gets a rule id saying what decided its statusCode:
``table:<courier>:<code>`` for the table, the normaliser's rule id otherwise (``unmatched``
when nothing explained the text; those texts are what ``shiptrack statuses unknown`` lists).
"""

from __future__ import annotations

import logging
from functools import lru_cache

from shiptrack.couriers.event_status import MAX_RULE_ID, classify_event, table_rule

log = logging.getLogger("shiptrack.status")


def decide(
    known: bool,
    status_code: str | None,
    *,
    text: str | None,
    courier_code: str,
    carrier_code: str | None,
) -> tuple[str | None, str]:
    """``(statusCode, rule id)`` of one event whose table lookup gave ``status_code``.

    ``known`` says whether the table has an entry for the carrier's code (an entry that maps
    to None is an explicit informational scan and is kept as such).
    """
    if known:
        return status_code, table_rule(courier_code, carrier_code)
    found, rule_id, matched = _classified(text, carrier_code, courier_code)
    level = logging.INFO if not matched else logging.DEBUG
    log.log(
        level,
        "status classified courier=%s code=%s rule=%s status=%s text=%r",
        courier_code,
        carrier_code,
        rule_id,
        found,
        (text or "")[:120],
    )
    return found, rule_id


@lru_cache(maxsize=16_384)
def _classified(
    text: str | None, carrier_code: str | None, courier_code: str
) -> tuple[str | None, str, bool]:
    """``(statusCode, rule id, matched)`` of a text: the normaliser's rules are fixed for the
    process, and the same texts come back all the time (one carrier's wording for every
    parcel, every re-read of an aggregator's answer), so each is read once."""
    result = classify_event(text, carrier_status_code=carrier_code, courier_code=courier_code)
    return result.status_code, result.rule_id[:MAX_RULE_ID], result.matched
