"""Courier detection throughput: shiptrack's ``detect`` against the ``tracking-numbers`` package.

Usage::

    .venv/bin/python bench/detect.py [--count 20000] [--runs 7] [--seed 24]

Both detectors read the same numbers in the same process, interleaved run by run, timed in
CPU seconds of this process, so machine load affects both alike. Two sets are measured:

* ``mixed``: valid numbers of every format shiptrack knows (S10 from a dozen countries, UPS,
  FedEx, USPS, DHL, DPD, Asian carriers…), 5% typed with spaces, 10% with a wrong check
  digit, 5% random strings — what a tracking API receives;
* ``common``: only formats both detectors know (S10, UPS, FedEx, USPS, DHL Express, OnTrac,
  Amazon), so neither pays for numbers the other ignores.

shiptrack's detector answers every candidate (not the first hit) with a reason. Its small
candidate memo is cleared before each timed run, so no run profits from an earlier one.
The numbers come from the test suite's generator (``tests/couriers/courier_numbers.py``).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import tracking_numbers

import shiptrack.couriers.detection as detection

ROOT = Path(__file__).resolve().parent.parent
COMMON_KEYS = (
    "s10 ups fedex12 fedex15 fedex96 fedex34 fedex_gsn smartpost20 usps20 impb420zip9 dhl10 "
    "ontrac_c amazon impb22"
).split()


def load_numbers():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "courier_numbers", ROOT / "tests" / "couriers" / "courier_numbers.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["courier_numbers"] = module
    spec.loader.exec_module(module)
    return module


def common_set(numbers, count: int, seed: int) -> list[str]:  # type: ignore[no-untyped-def]
    import random

    rng = random.Random(seed)
    return [numbers.FORMATS[rng.choice(COMMON_KEYS)].make(rng) for _ in range(count)]


def timed(fn: Callable[[str], object], items: list[str]) -> float:
    """Numbers per CPU second for one pass over ``items``.

    CPU time of this process (``process_time``), not wall time: the machine is shared, and
    time spent descheduled would count against whichever detector happened to be running.
    """
    gc.collect()
    start = time.process_time()
    for n in items:
        fn(n)
    return len(items) / (time.process_time() - start)


def ours(n: str) -> object:
    return detection.detect(n)


def theirs(n: str) -> object:
    return tracking_numbers.get_tracking_number(n)


def measure(name: str, items: list[str], runs: int) -> tuple[float, float]:
    recognised_ours = sum(1 for n in items if detection.detect(n))
    recognised_theirs = sum(1 for n in items if tracking_numbers.get_tracking_number(n))
    ours_rates: list[float] = []
    theirs_rates: list[float] = []
    for _ in range(runs):
        theirs_rates.append(timed(theirs, items))
        detection._CANDIDATES.clear()
        ours_rates.append(timed(ours, items))
    o, t = statistics.median(ours_rates), statistics.median(theirs_rates)
    print(f"\n{name}: {len(items)} numbers, {runs} runs (median; min–max)")
    rows = (
        ("shiptrack detect", o, ours_rates, recognised_ours),
        (f"tracking-numbers {version('tracking-numbers')}", t, theirs_rates, recognised_theirs),
    )
    for label, median, rates, recognised in rows:
        spread = f"({min(rates):,.0f}–{max(rates):,.0f})"
        share = recognised / len(items)
        print(f"  {label:<24}{median:>9,.0f}/s  {spread}  recognised {share:.0%}")
    print(f"  {'ratio':<24}{o / t:>9.2f}x")
    return o, t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    numbers = load_numbers()
    print(f"Python {sys.version.split()[0]}, {args.count} numbers per set, seed {args.seed}")
    o, t = measure("mixed", numbers.mixed_set(args.count, args.seed), args.runs)
    measure("common", common_set(numbers, args.count, args.seed), args.runs)
    return 0 if o >= 2 * t else 1


if __name__ == "__main__":
    raise SystemExit(main())
