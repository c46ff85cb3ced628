"""The commands printed in README.md and docs/ work as written (rules: CONTRIBUTING.md).

1. Every ```sh block is valid shell (``bash -n``).
2. Every ``shiptrack …`` command in one names a real command, and every ``--option`` it uses is
   one of that command's options (checked against the CLI itself, in this process).
3. Every ``python …``/``.venv/bin/python …`` script or module it runs exists.
4. A block right after the line ``<!-- docs-test: run -->`` is run as written, with
   ``.venv/bin`` on the PATH, in a fresh folder where ``shiptrack serve`` runs on SQLite
   (port 8000 in the text is replaced by the test server's port); each ``curl`` fails the
   block on an HTTP error.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.main import get_command

from shiptrack.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
RUN_MARKER = "<!-- docs-test: run -->"


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    text: str
    run: bool

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def sh_blocks() -> list[Block]:
    blocks = []
    for path in DOCUMENTS:
        lines = path.read_text().splitlines()
        index = 0
        while index < len(lines):
            if lines[index].strip() == "```sh":
                start = index
                end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == "```")
                previous = next(
                    (lines[i] for i in range(start - 1, -1, -1) if lines[i].strip()), ""
                )
                text = "\n".join(lines[start + 1 : end]) + "\n"
                blocks.append(Block(path, start + 1, text, previous.strip() == RUN_MARKER))
                index = end
            index += 1
    return blocks


BLOCKS = sh_blocks()


def _commands(block: Block) -> list[list[str]]:
    """The block's simple commands as words (continuation lines joined, comments dropped)."""
    joined = block.text.replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        for part in re.split(r"&&|\|\||;|\|", line):
            try:
                words = shlex.split(part, comments=True)
            except ValueError:
                continue
            while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
                words = words[1:]  # VAR=value prefixes
            if words and words[0] in ("exec", "sudo", "time"):
                words = words[1:]
            if words:
                commands.append(words)
    return commands


def test_the_extraction_finds_the_readme_walkthrough():
    assert any(b.run and b.path.name == "README.md" for b in BLOCKS)
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("block", BLOCKS, ids=str)
def test_every_sh_block_is_valid_shell(block):
    checked = subprocess.run(["bash", "-n"], input=block.text, capture_output=True, text=True)
    assert checked.returncode == 0, f"{block}: {checked.stderr}"


def _shiptrack_usages() -> list[tuple[Block, list[str]]]:
    return [
        (block, words[1:])
        for block in BLOCKS
        for words in _commands(block)
        if Path(words[0]).name == "shiptrack"
    ]


@pytest.mark.parametrize(("block", "arguments"), _shiptrack_usages(), ids=lambda v: str(v))
def test_every_shiptrack_command_and_option_exists(block, arguments):
    command = get_command(app)
    path = []
    for word in arguments:
        if word.startswith("-"):
            break
        # Groups load their commands on demand (shiptrack.cli.main.LazyCommands).
        group = command if hasattr(command, "list_commands") else None
        sub = group.get_command(group.context_class(group), word) if group else None
        if sub is None:
            break
        command, path = sub, [*path, word]
    assert path or arguments[0].startswith("-"), f"{block}: `shiptrack {arguments}`: no command"
    known = {"--help"} | {
        opt for param in command.params for opt in (*param.opts, *param.secondary_opts)
    }
    for word in arguments[len(path) :]:
        if word.startswith("--"):
            option = word.split("=", 1)[0]
            assert option in known, f"{block}: `shiptrack {' '.join(path)}` has no {option}"


def _python_usages() -> list[tuple[Block, list[str]]]:
    return [
        (block, words[1:])
        for block in BLOCKS
        for words in _commands(block)
        if Path(words[0]).name in ("python", "python3") and len(words) > 1
    ]


@pytest.mark.parametrize(("block", "arguments"), _python_usages(), ids=lambda v: str(v))
def test_every_python_script_or_module_exists(block, arguments):
    if arguments[0] == "-m":
        module = arguments[1]
        assert (
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import importlib.util as u; assert u.find_spec({module!r})",
                ],
                capture_output=True,
            ).returncode
            == 0
        ), f"{block}: no module {module}"
    elif not arguments[0].startswith("-"):
        assert (ROOT / arguments[0]).is_file(), f"{block}: no script {arguments[0]}"


@pytest.mark.slow
@pytest.mark.parametrize("block", [b for b in BLOCKS if b.run], ids=str)
def test_marked_blocks_run_as_written(block, tmp_path, server_factory):
    server = server_factory(f"sqlite:///{tmp_path / 'shiptrack.db'}")
    script = re.sub(r"(127\.0\.0\.1|localhost):8000\b", f"127.0.0.1:{server.port}", block.text)
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    result = subprocess.run(
        [
            "bash",
            "-euo",
            "pipefail",
            "-c",
            'curl() { command curl --fail-with-body "$@"; }\n' + script,
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{block}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
