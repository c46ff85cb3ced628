"""Which tracking numbers belong to the sandbox, and the numbers of hand-over legs.

* ``SHIP24_SAMPLE_<MILESTONE>_<ddd>`` — Ship24's sample numbers;
* ``SBX-<script>`` — a journey scripted in the number itself (see ``docs/sandbox.md``);
* ``SBX_<NAME>[_<options>]`` — a registered scenario;
* any of these followed by ``.2`` … ``.9`` — the tracking number of that journey's second …
  ninth leg, handed over to another courier. Deterministic, so every process (and the fake
  courier servers) answers for it without shared state.
"""

from __future__ import annotations

import re

SAMPLE_PREFIX = "SHIP24_SAMPLE_"
SCRIPT_PREFIX = "SBX-"
NAMED_PREFIX = "SBX_"
PREFIXES = (SAMPLE_PREFIX, SCRIPT_PREFIX, NAMED_PREFIX)

#: Longest tracking number the API accepts.
MAX_LENGTH = 50

_LEG_SUFFIX = re.compile(r"\.([2-9])$")


def normalise(number: str) -> str:
    return number.strip().upper()


def is_sandbox_number(number: str) -> bool:
    """True when the number is the sandbox's: by prefix, whether or not its script is valid
    (a mistyped script is answered "not found" with the reason, not sent to a real courier)."""
    return normalise(number).startswith(PREFIXES)


def split_leg(number: str) -> tuple[str, int]:
    """``(journey number, leg index)``: ``SBX-OC-HO/US-DL.2`` → ``("SBX-OC-HO/US-DL", 1)``."""
    number = normalise(number)
    match = _LEG_SUFFIX.search(number)
    if match is None:
        return number, 0
    return number[: match.start()], int(match.group(1)) - 1


def leg_number(journey_number: str, leg: int) -> str:
    """The tracking number of leg ``leg`` (0-based) of a journey."""
    return journey_number if leg == 0 else f"{journey_number}.{leg + 1}"
