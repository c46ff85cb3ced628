"""Mutation testing of shiptrack's policy modules, one module at a time.

Code: mutmut 3 mutates each module's functions (operators, constants, strings, arguments) in a
scratch copy of the repository (``.mutation/<module>/``), so runs never touch the working tree,
against the module's own focused set of tests.

Tables: mutmut 3 does not mutate module-level data, and a status table is nothing but data.
So each row of the module's tables (``TABLES`` below) is also mutated here, one at a time, by
giving it another value of the same table (USPS ``43`` "Picked Up" → another Ship24 status),
in a forked process that then runs the focused tests.

A module's score is killed / all mutants (timeouts count as killed; mutants no test reaches
count as survivors).

    pip install -e '.[test,mutation]'
    python scripts/mutation.py                       # every module below
    python scripts/mutation.py tracking/cadence.py   # some of them (paths under src/shiptrack)
    python scripts/mutation.py --survivors tracking/cadence.py   # also list the survivors

Options: ``--jobs N`` (mutants tested at once, default 2), ``--keep`` (keep the scratch copies
to inspect a survivor with ``cd .mutation/<module> && mutmut show <name>``), ``--tests``
(override the focused tests, space-separated, for one module). docs/testing.md has the scores
and explains each surviving mutant. Not part of ``.ci/run``: a full pass takes minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "shiptrack"
SCRATCH = ROOT / ".mutation"

#: The table pass runs only the documented-meaning tests (fast); the code pass all three.
_MEANING_TESTS = ["tests/connectors/test_status_meanings.py"]
_STATUS_TABLE_TESTS = [
    "tests/connectors/test_status_meanings.py",
    "tests/connectors/test_status_tables_usps_ups_fedex.py",
    "tests/connectors/test_status_tables_dhl_laposte.py",
]

#: Module (under src/shiptrack) → the tests that guard it.
MODULES: dict[str, list[str]] = {
    "tracking/cadence.py": ["tests/tracking/test_cadence.py"],
    "webhooks/delivery/schedule.py": ["tests/webhooks/test_schedule.py"],
    "tracking/timeline.py": ["tests/tracking/test_timeline.py"],
    "status/taxonomy.py": ["tests/status/test_taxonomy.py", "tests/tracking/test_timeline.py"],
    "couriers/connectors/usps/statuses.py": _STATUS_TABLE_TESTS,
    "couriers/connectors/ups/statuses.py": _STATUS_TABLE_TESTS,
    "couriers/connectors/fedex/statuses.py": _STATUS_TABLE_TESTS,
    "couriers/connectors/dhl/statuses.py": _STATUS_TABLE_TESTS,
    "couriers/connectors/laposte/statuses.py": _STATUS_TABLE_TESTS,
    "webhooks/safety.py": ["tests/webhooks/test_safety.py"],
    "accounts/ratelimit.py": ["tests/api/test_rate_limits.py"],
    "trackers/validation.py": ["tests/trackers/test_validation.py"],
}

#: pytest options of every mutant run: one process (mutmut forks its own workers), SQLite
#: only (a policy module's tests need no second database), no cache files.
PYTEST_ARGS = ["-p", "no:xdist", "-p", "no:cacheprovider", "-q", "-x"]

#: Module-level tables whose rows are mutated (dicts: each value; tuples of pairs: each second
#: element), replaced by the next distinct value of the same table.
TABLES: dict[str, list[str]] = {
    "status/taxonomy.py": ["STATUS_CODES", "_MILESTONE_OF_CODE"],
    "couriers/connectors/usps/statuses.py": ["STATUS_CODES"],
    "couriers/connectors/ups/statuses.py": ["STATUS_CODES", "STATUS_TYPES"],
    "couriers/connectors/fedex/statuses.py": ["EVENT_TYPES", "DELIVERY_EXCEPTION_CODES"],
    "couriers/connectors/dhl/statuses.py": [
        "STATUS_CODES",
        "EXPRESS_EVENT_CODES",
        "DESCRIPTION_RULES",
    ],
    "couriers/connectors/laposte/statuses.py": ["EVENT_CODES", "RETURN_CODES"],
}

_RESULT = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")


@dataclass
class Score:
    module: str
    killed: int = 0
    survived: int = 0
    timeout: int = 0
    other: int = 0
    seconds: float = 0.0
    survivors: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.killed + self.survived + self.timeout + self.other

    @property
    def percent(self) -> float:
        counted = self.killed + self.survived + self.timeout + self.other
        return 100.0 * (self.killed + self.timeout) / counted if counted else 0.0


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def prepare(module: str, tests: list[str]) -> Path:
    """A scratch copy of the repository whose pyproject points mutmut at ``module``."""
    slug = module.replace("/", "__").removesuffix(".py")
    work = SCRATCH / slug
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    # Tests find shared reference material at <repository>/../shared.
    shared = (ROOT / ".." / "shared").resolve()
    if shared.exists():
        (work / "shared").symlink_to(shared)
    config = (ROOT / "pyproject.toml").read_text()
    config += (
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f'only_mutate = ["src/shiptrack/{module}"]\n'
        f"pytest_add_cli_args = {_toml_list(PYTEST_ARGS)}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        "use_git_change_detection = false\n"
    )
    (work / "pyproject.toml").write_text(config)
    return work


def run(module: str, tests: list[str], jobs: int, keep: bool) -> Score:
    work = prepare(module, tests)
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {**os.environ, "SHIPTRACK_TEST_ENGINES": "sqlite", "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    done = subprocess.run(
        [str(mutmut), "run", "--max-children", str(jobs)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.monotonic() - started
    listed = subprocess.run(
        [str(mutmut), "results", "--all", "true"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    score = Score(module, seconds=elapsed)
    survivors: list[str] = []
    for line in listed.stdout.splitlines():
        match = _RESULT.match(line)
        if match is None:
            continue
        status = match["status"].strip()
        if status == "killed":
            score.killed += 1
        elif status == "timeout":
            score.timeout += 1
        elif status in ("survived", "no tests"):
            score.survived += 1
            survivors.append(f"{match['name']} ({status})")
        else:
            score.other += 1
            survivors.append(f"{match['name']} ({status})")
    score.survivors = tuple(survivors)
    if score.total == 0 and module not in TABLES:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return score


def _next_value(values: list[object], value: object) -> object:
    distinct = list(dict.fromkeys(values))
    return distinct[(distinct.index(value) + 1) % len(distinct)]


def _table_mutants(module: object, names: list[str]) -> list[tuple[str, object, object]]:
    """(table, key or index, new value) for every row of the named tables."""
    mutants: list[tuple[str, object, object]] = []
    for name in names:
        table = getattr(module, name)
        if isinstance(table, dict):
            values = list(table.values())
            mutants += [(name, key, _next_value(values, v)) for key, v in table.items()]
        else:
            values = [second for _, second in table]
            mutants += [(name, i, _next_value(values, v)) for i, (_, v) in enumerate(table)]
    return mutants


def _apply(module: object, name: str, where: object, value: object) -> None:
    table = getattr(module, name)
    if isinstance(table, dict):
        table[where] = value
        return
    rows = list(table)
    rows[where] = (rows[where][0], value)  # type: ignore[index]
    replaced = tuple(rows)
    for loaded in list(sys.modules.values()):  # every module that imported the tuple by name
        for attribute, bound in list(vars(loaded).items()) if loaded else ():
            if bound is table:
                setattr(loaded, attribute, replaced)


#: Tests of the table pass, when not the module's own focused tests.
TABLE_TESTS: dict[str, list[str]] = {
    module: _MEANING_TESTS for module in TABLES if module.startswith("couriers/")
}


def run_tables(module: str, tests: list[str], jobs: int) -> Score:
    """Mutate each table row in a forked process that runs ``tests`` (from the repository)."""
    import importlib

    import pytest

    os.chdir(ROOT)
    os.environ["SHIPTRACK_TEST_ENGINES"] = "sqlite"
    imported = importlib.import_module("shiptrack." + module.removesuffix(".py").replace("/", "."))
    mutants = _table_mutants(imported, TABLES[module])
    # Import the tests and their fixtures once, before forking: each mutant only runs them.
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        pytest.main([*PYTEST_ARGS, "--collect-only", *tests])
    score = Score(module + " (tables)")
    survivors: list[str] = []
    started = time.monotonic()
    running: dict[int, tuple[str, object, object]] = {}

    def reap() -> None:
        pid, status = os.wait()
        name, where, value = running.pop(pid)
        if os.waitstatus_to_exitcode(status) == 0:
            score.survived += 1
            survivors.append(f"{name}[{where!r}] = {value!r} (survived)")
        else:
            score.killed += 1

    for mutant in mutants:
        while len(running) >= jobs:
            reap()
        pid = os.fork()
        if pid == 0:  # the mutant: patch, run the tests quietly, report by exit code
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            try:
                _apply(imported, *mutant)
                code = pytest.main([*PYTEST_ARGS, *tests])
            finally:
                os._exit(1 if "code" not in locals() else int(code))
        running[pid] = mutant
    while running:
        reap()
    score.seconds = time.monotonic() - started
    score.survivors = tuple(survivors)
    return score


def _report(score: Score, survivors: bool) -> None:
    print(
        f"{score.module:50} {score.percent:6.1f}%  killed {score.killed + score.timeout:4}"
        f" / {score.total:4}  survived {score.survived + score.other:3}"
        f"  ({score.seconds:.0f} s)",
        flush=True,
    )
    if survivors:
        for name in score.survivors:
            print(f"    {name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="paths under src/shiptrack (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--keep", action="store_true", help="keep .mutation/<module>/")
    parser.add_argument("--survivors", action="store_true", help="list surviving mutants")
    parser.add_argument("--tests", help="focused tests for a single module (space-separated)")
    args = parser.parse_args()
    modules = args.modules or list(MODULES)
    unknown = [m for m in modules if not (PACKAGE / m).is_file()]
    if unknown:
        parser.error(f"no such module under src/shiptrack: {', '.join(unknown)}")
    if args.tests and len(modules) != 1:
        parser.error("--tests applies to exactly one module")
    for module in modules:
        tests = args.tests.split() if args.tests else MODULES.get(module)
        if not tests:
            parser.error(f"{module}: no focused tests known; give them with --tests")
        if module in TABLES:
            table_tests = TABLE_TESTS.get(module, tests)
            _report(run_tables(module, table_tests, args.jobs), args.survivors)
        code = run(module, tests, args.jobs, args.keep)
        if code.total:  # modules of data alone (DHL, La Poste) have no functions to mutate
            _report(code, args.survivors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
