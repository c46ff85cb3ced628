"""Charts drawn on the server as SVG (no script, no library): trackers created per day by
the milestone they have reached, and per courier the distribution of transit times.

Each chart is an ``<svg role="img">`` with a title and a description, followed by the same
figures as a table, so that nothing is only in the picture. Transit time is from the first
of info received / in transit / the earliest event to delivered, per the shipment's
``statistics.timestamps`` (carriers' local times: when only one of the two has an offset,
the wall-clock times are compared).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response

from shiptrack.clock import utcnow
from shiptrack.console import render
from shiptrack.console.services import services
from shiptrack.console.sessions import Session, signed_in
from shiptrack.couriers.catalogue import get_courier
from shiptrack.status.taxonomy import MILESTONES
from shiptrack.trackers import listing

DAYS = 30
#: One colour per milestone, each with at least 3:1 contrast on white (WCAG 1.4.11).
COLOURS = {
    "pending": "#6b7280",
    "info_received": "#7c3aed",
    "in_transit": "#1d4ed8",
    "out_for_delivery": "#0e7490",
    "failed_attempt": "#b45309",
    "available_for_pickup": "#a21caf",
    "delivered": "#15803d",
    "exception": "#b91c1c",
}
#: Transit-time bins in days: [low, high), the last open.
BINS = ((0, 1), (1, 2), (2, 3), (3, 5), (5, 7), (7, 10), (10, 14), (14, None))


@dataclass(frozen=True, slots=True)
class Chart:
    svg: str
    #: The same figures for the table under the chart: header row, then rows.
    header: list[str]
    rows: list[list[str]]


def milestones_chart(
    created: list[tuple[dt.datetime, str | None]], today: dt.date, days: int = DAYS
) -> Chart:
    """Stacked bars: trackers created on each of the last ``days`` days, by milestone now."""
    first = today - dt.timedelta(days=days - 1)
    per_day: dict[dt.date, Counter[str]] = defaultdict(Counter)
    for created_at, milestone in created:
        day = created_at.astimezone(dt.UTC).date()
        if first <= day <= today:
            per_day[day][milestone or "pending"] += 1
    dates = [first + dt.timedelta(days=n) for n in range(days)]
    highest = max([sum(per_day[d].values()) for d in dates] + [1])
    width, height, left, bottom, top = 720, 260, 44, 36, 12
    bar = (width - left - 8) / days
    scale = (height - top - bottom) / highest
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="milestones-title milestones-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="milestones-title">Trackers created per day, by milestone reached</title>',
        f'<desc id="milestones-desc">{days} days to {today.isoformat()}; highest day: '
        f"{highest} trackers. The table below lists the figures.</desc>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 8}" y2="{height - bottom}" '
        'stroke="#374151"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" class="axis">{highest}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" class="axis">0</text>',
    ]
    for n, day in enumerate(dates):
        y = height - bottom
        for milestone in MILESTONES:
            count = per_day[day][milestone]
            if not count:
                continue
            h = count * scale
            y -= h
            parts.append(
                f'<rect x="{left + n * bar + 1:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[milestone]}"><title>{day.isoformat()}: '
                f"{count} {milestone}</title></rect>"
            )
        if n % 5 == 0 or n == days - 1:
            parts.append(
                f'<text x="{left + n * bar + bar / 2:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" class="axis">{day.strftime("%d %b")}</text>'
            )
    parts.append("</svg>")
    rows = [
        [day.isoformat(), *(str(per_day[day][m]) for m in MILESTONES)]
        for day in dates
        if per_day[day]
    ]
    return Chart("".join(parts), ["Day", *MILESTONES], rows)


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def transit_days(tracking: dict[str, Any]) -> tuple[str, float] | None:
    """``(courier code, days in transit)`` of a delivered tracking, or None."""
    stamps = (tracking.get("statistics") or {}).get("timestamps") or {}
    events = tracking.get("events") or []
    end = _when(stamps.get("deliveredDatetime"))
    starts = [
        _when(stamps.get("infoReceivedDatetime")),
        _when(stamps.get("inTransitDatetime")),
        _when(events[-1].get("occurrenceDatetime")) if events else None,
    ]
    found = [s for s in starts if s is not None]
    if end is None or not found or not events:
        return None
    if any((s.tzinfo is None) != (end.tzinfo is None) for s in found):
        end, found = end.replace(tzinfo=None), [s.replace(tzinfo=None) for s in found]
    start = min(found)
    courier = events[0].get("courierCode") or "unknown"
    return courier, max(0.0, (end - start).total_seconds() / 86400)


def _bin_label(low: int, high: int | None) -> str:
    return f"{low}+ d" if high is None else f"{low}–{high} d"


def transit_chart(trackings: list[dict[str, Any]]) -> Chart:
    """One row of bars per courier: how many deliveries took how long."""
    per_courier: dict[str, list[float]] = defaultdict(list)
    for tracking in trackings:
        found = transit_days(tracking)
        if found is not None:
            per_courier[found[0]].append(found[1])
    couriers = sorted(per_courier, key=lambda c: -len(per_courier[c]))[:12]
    row_height, left, width = 64, 170, 720
    height = max(1, len(couriers)) * row_height + 30
    cell = (width - left - 8) / len(BINS)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="transit-title transit-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="transit-title">Transit times of delivered shipments, per courier</title>',
        f'<desc id="transit-desc">{sum(len(v) for v in per_courier.values())} deliveries of '
        f"{len(per_courier)} couriers. The table below lists the figures.</desc>",
    ]
    rows = []
    for n, code in enumerate(couriers):
        values = per_courier[code]
        counts = [
            sum(1 for v in values if v >= low and (high is None or v < high)) for low, high in BINS
        ]
        peak = max(counts) or 1
        base = n * row_height + row_height - 10
        courier = get_courier(code)
        name = escape(courier.name if courier is not None else code)
        median = statistics.median(values)
        parts.append(
            f'<text x="0" y="{base - 24}" class="label">{name}</text>'
            f'<text x="0" y="{base - 8}" class="axis">median {median:.1f} d, n={len(values)}</text>'
        )
        for b, count in enumerate(counts):
            h = (row_height - 20) * count / peak
            parts.append(
                f'<rect x="{left + b * cell + 2:.1f}" y="{base - h:.1f}" width="{cell - 4:.1f}" '
                f'height="{h:.1f}" fill="#1d4ed8"><title>{name}: {count} in '
                f"{_bin_label(*BINS[b])}</title></rect>"
            )
        rows.append([courier.name if courier is not None else code, *map(str, counts)])
    for b, (low, high) in enumerate(BINS):
        parts.append(
            f'<text x="{left + b * cell + cell / 2:.1f}" y="{height - 8}" text-anchor="middle" '
            f'class="axis">{_bin_label(low, high)}</text>'
        )
    parts.append("</svg>")
    return Chart("".join(parts), ["Courier", *(_bin_label(*b) for b in BINS)], rows)


@signed_in
async def charts_page(request: Request, session: Session) -> Response:
    db = services(request).db
    now = utcnow()
    since = now - dt.timedelta(days=DAYS)
    created = await listing.created_milestones(db, session.account_id, since)
    delivered = await listing.delivered_trackings(db, session.account_id)
    return render.page(
        request,
        "charts.html",
        session,
        milestones=milestones_chart(
            [(r.created_at, r.status_milestone) for r in created], now.date()
        ),
        transit=transit_chart(delivered),
        colours=COLOURS,
    )
