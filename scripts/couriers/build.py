"""Build shiptrack's courier catalogue (``src/shiptrack/couriers/data/couriers.json``).

Inputs, merged in this order (a later input wins where it says something):

1. ``scripts/couriers/own-couriers.json``: the couriers shiptrack knew before it took in
   Ship24's catalogue (postal operators of every UPU S10 country, the couriers detection names,
   the ``sandbox`` courier), in Ship24's wire shape.
2. ``../shared/reference/ship24-couriers.json``: a real ``GET /couriers`` answer of Ship24
   (1,538 couriers, captured about 2024-03-02; see ``ship24-couriers.SOURCES.md`` beside it).
   For a courier in both, Ship24's values win; a value Ship24 leaves ``null`` (website,
   country) keeps ours; ``isDeprecated``, absent from the capture, keeps ours or is ``false``.
3. ``../shared/reference/ship24-tracking-api.yaml``: the couriers shown in the examples of
   Ship24's 2026 OpenAPI document are newer than the capture and replace it field by field.
4. ``scripts/couriers/tracking-urls.csv``: the carrier's public tracking page for a number,
   as a template with ``{trackingNumber}``, each with the public source it was taken from
   (``README.md`` beside it says which sources and how rows are chosen). A template whose host
   shares no name with the courier's website (``yuntrack.com`` for ``yunexpress.com``) is
   refused unless its row carries a ``note`` saying why it is right.

Normalisation: surrounding whitespace of every text is dropped (the capture has six values with
a trailing space); the capture's non-ISO country codes ``UK`` and ``LUX`` become ``GB`` and
``LU`` (the 2026 document gives ``countryCode`` as ISO 3166-1 alpha-2).

Writes the package data file (one courier per line, sorted by code) and
``src/shiptrack/couriers/data/PROVENANCE.md``. ``--check`` writes nothing and exits 1 when the
committed files differ from what the inputs give (a test runs it when ../shared is present).

    python scripts/couriers/build.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from shiptrack.couriers.catalogue import SHIP24_KEYS

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "scripts" / "couriers"
SHARED = ROOT / ".." / "shared" / "reference"
SHIP24_COURIERS = SHARED / "ship24-couriers.json"
SHIP24_OPENAPI = SHARED / "ship24-tracking-api.yaml"
OWN = HERE / "own-couriers.json"
TRACKING_URLS = HERE / "tracking-urls.csv"
DATA = ROOT / "src" / "shiptrack" / "couriers" / "data" / "couriers.json"
PROVENANCE = DATA.with_name("PROVENANCE.md")

#: Country codes of the capture that are not ISO 3166-1 alpha-2, and the code they stand for.
COUNTRY_FIXES = {"UK": "GB", "LUX": "LU"}
PLACEHOLDER = "{trackingNumber}"


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def ship24_capture() -> list[dict[str, Any]]:
    return json.loads(SHIP24_COURIERS.read_bytes())["data"]["couriers"]


def openapi_examples() -> list[dict[str, Any]]:
    """The couriers of the ``GET /public/v1/couriers`` response examples."""
    doc = yaml.safe_load(SHIP24_OPENAPI.read_text())
    response = doc["paths"]["/public/v1/couriers"]["get"]["responses"]["200"]
    examples = response["content"]["application/json"]["examples"]
    return [c for ex in examples.values() for c in ex["value"]["data"]["couriers"]]


class TrackingUrl:
    """One row of the CSV."""

    def __init__(self, row: dict[str, str]) -> None:
        self.code, self.template = row["courierCode"], row["trackingUrl"]
        self.source, self.note = row["source"].strip(), row["note"].strip()


def tracking_urls() -> dict[str, TrackingUrl]:
    """courierCode → its row of the CSV; every template is checked."""
    found: dict[str, TrackingUrl] = {}
    with TRACKING_URLS.open(newline="") as f:
        for row in map(TrackingUrl, csv.DictReader(f)):
            if row.code in found:
                raise SystemExit(f"{TRACKING_URLS.name}: {row.code} listed twice")
            template = row.template
            if template.count(PLACEHOLDER) != 1 or urlsplit(template).scheme not in HTTP:
                raise SystemExit(f"{TRACKING_URLS.name}: bad template for {row.code}: {template}")
            if not template.isascii() or any(c.isspace() for c in template):
                raise SystemExit(f"{TRACKING_URLS.name}: {row.code}: not a plain URL: {template}")
            if not row.source:
                raise SystemExit(f"{TRACKING_URLS.name}: {row.code} has no source")
            found[row.code] = row
    return found


HTTP = ("http", "https")
#: Host labels that say nothing about who runs a site.
_GENERIC_LABELS = {"www", "com", "co", "org", "net", "gov", "track", "tracking", "m"}


def _names(url: str) -> set[str]:
    labels = (urlsplit(url).hostname or "").split(".")[:-1]  # the top-level domain says nothing
    return {label for label in labels if len(label) >= 3 and label not in _GENERIC_LABELS}


def hosts_agree(template: str, website: str | None) -> bool:
    """True when the template's host and the courier's website share a name (``ups`` in
    ``wwwapps.ups.com`` and ``www.ups.com``; ``dpd`` within ``dpdgroup``)."""
    if website is None:
        return False
    return any(a in b or b in a for a in _names(template) for b in _names(website))


def merge(
    own: list[dict[str, Any]],
    capture: list[dict[str, Any]],
    examples: list[dict[str, Any]],
    urls: dict[str, TrackingUrl],
) -> tuple[list[dict[str, Any]], Counter[str]]:
    stats: Counter[str] = Counter()
    couriers: dict[str, dict[str, Any]] = {c["courierCode"]: dict(c) for c in own}
    for raw in capture:
        item = {key: _clean(value) for key, value in raw.items()}
        if item["countryCode"] in COUNTRY_FIXES:
            item["countryCode"] = COUNTRY_FIXES[item["countryCode"]]
            stats["country codes made ISO"] += 1
        if any(raw[k] != item[k] for k in ("courierName", "website")):
            stats["texts trimmed"] += 1
        code = item["courierCode"]
        mine = couriers.get(code)
        if mine is None:
            item["isDeprecated"] = bool(item["isDeprecated"])
            couriers[code] = item
            stats["added from Ship24"] += 1
            continue
        stats["in both"] += 1
        for key in SHIP24_KEYS[1:]:
            value = item[key]
            if value is None and key in ("website", "countryCode", "isDeprecated"):
                if mine[key] is not None:
                    stats[f"kept our {key} (Ship24 null)"] += 1
                continue
            if mine[key] != value:
                stats[f"{key} taken from Ship24"] += 1
            mine[key] = value
    for example in examples:
        code = example["courierCode"]
        current = couriers[code]
        for key in SHIP24_KEYS[1:]:
            if current[key] != example[key]:
                stats[f"{key} taken from the 2026 OpenAPI examples"] += 1
                current[key] = example[key]
    unknown = sorted(set(urls) - set(couriers))
    if unknown:
        raise SystemExit(f"{TRACKING_URLS.name}: codes not in the catalogue: {unknown}")
    for code, row in urls.items():
        if not row.note and not hosts_agree(row.template, couriers[code]["website"]):
            raise SystemExit(
                f"{TRACKING_URLS.name}: {code}: {row.template} is not on the courier's site "
                f"({couriers[code]['website']}); add a note if it is right"
            )
    merged = []
    for code in sorted(couriers):
        item = {key: couriers[code][key] for key in SHIP24_KEYS}
        item["trackingUrl"] = urls[code].template if code in urls else None
        merged.append(item)
    stats["tracking URLs"] = len(urls)
    return merged, stats


def render_data(couriers: list[dict[str, Any]]) -> str:
    lines = [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in couriers]
    return '{"couriers":[\n' + ",\n".join(lines) + "\n]}\n"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def render_provenance(
    couriers: list[dict[str, Any]], stats: Counter[str], urls: dict[str, TrackingUrl]
) -> str:
    sources = Counter(row.source.split(" ")[0].split("@")[0] for row in urls.values())
    lines = [
        "# Where the courier catalogue comes from",
        "",
        "Generated by `python scripts/couriers/build.py` (do not edit; change its inputs).",
        "",
        "| Input | sha256 |",
        "|---|---|",
        f"| `scripts/couriers/own-couriers.json` (shiptrack's own entries) | `{_sha256(OWN)}` |",
        "| `shared/reference/ship24-couriers.json` (Ship24 `GET /couriers`, ~2024-03-02, from "
        "`b0r1ngx/ship24-couriers-response-parse-2` `resources/ship24_couriers_response.json` "
        f"at `3acf365c`) | `{_sha256(SHIP24_COURIERS)}` |",
        "| `shared/reference/ship24-tracking-api.yaml` (Ship24's OpenAPI document, 2026, "
        "`ship24/ship24-node` `spec/ship24-tracking-api.yaml`): the `GET /couriers` examples "
        f"| `{_sha256(SHIP24_OPENAPI)}` |",
        f"| `scripts/couriers/tracking-urls.csv` (tracking pages, source per row) "
        f"| `{_sha256(TRACKING_URLS)}` |",
        "",
        f"Couriers: **{len(couriers)}**; with a tracking page template: "
        f"**{sum(1 for c in couriers if c['trackingUrl'])}**.",
        "",
        "| What the merge did | Count |",
        "|---|---|",
        *(f"| {what} | {n} |" for what, n in sorted(stats.items())),
        "",
        "Tracking page templates by source (see the `source` column of the CSV for the file "
        "and commit of each):",
        "",
        "| Source | Templates |",
        "|---|---|",
        *(f"| {source} | {n} |" for source, n in sorted(sources.items())),
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args()
    urls = tracking_urls()
    couriers, stats = merge(
        json.loads(OWN.read_bytes())["couriers"], ship24_capture(), openapi_examples(), urls
    )
    outputs = {
        DATA: render_data(couriers),
        PROVENANCE: render_provenance(couriers, stats, urls),
    }
    stale = [p for p, text in outputs.items() if not p.is_file() or p.read_text() != text]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(outputs[path])
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(couriers)} couriers, {stats['tracking URLs']} tracking page templates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
