"""Regenerate ``tests/couriers/detection/vectors/tracking_number_data.json`` from a checkout of
jkeen/tracking_number_data (MIT licence; the notice is copied into the output).

Usage::

    git clone https://github.com/jkeen/tracking_number_data /tmp/tnd
    .venv/bin/python scripts/tracking_number_data_vectors.py /tmp/tnd

Only the test numbers are kept, with each format's file, name, id, courier code and check-digit
algorithm: shiptrack's detector is written from the formats' documentation, and this copy is
what its vectors test reads (``tests/couriers/detection/test_tracking_number_data.py``).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path
from typing import Any

OUTPUT = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "couriers"
    / "detection"
    / "vectors"
    / "tracking_number_data.json"
)
#: A legacy file from before the per-courier layout, superseded by ontrac.json and ups.json.
SKIPPED = {"couriers/misc.json"}
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")


def _load(path: Path) -> Any:
    # Some upstream revisions carry a trailing comma that strict JSON rejects.
    return json.loads(_TRAILING_COMMA.sub(r"\1", path.read_text()))


def _commit(checkout: Path) -> str:
    result = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def formats(checkout: Path) -> list[dict[str, Any]]:
    commit = _commit(checkout)
    out: list[dict[str, Any]] = []
    for path in sorted((checkout / "couriers").glob("*.json")):
        relative = f"couriers/{path.name}"
        if relative in SKIPPED:
            continue
        data = _load(path)
        for fmt in data["tracking_numbers"]:
            checksum = (fmt.get("validation") or {}).get("checksum") or {}
            out.append(
                {
                    "file": relative,
                    "commit": commit,
                    "courier_code": data["courier_code"],
                    "name": fmt["name"],
                    "id": fmt.get("id"),
                    "checksum": checksum.get("name"),
                    "valid": fmt["test_numbers"]["valid"],
                    "invalid": fmt["test_numbers"]["invalid"],
                }
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path, help="a git checkout of tracking_number_data")
    args = parser.parse_args()
    document = {
        "source": {
            "repository": "https://github.com/jkeen/tracking_number_data",
            "transcribed": f"test_numbers of couriers/*.json at {_commit(args.checkout)}",
            "license": (args.checkout / "LICENSE").read_text(),
        },
        "formats": formats(args.checkout),
    }
    OUTPUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    count = sum(len(f["valid"]) + len(f["invalid"]) for f in document["formats"])
    print(f"{len(document['formats'])} formats, {count} test numbers → {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
